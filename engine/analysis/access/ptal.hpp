#pragma once
// Public Transport Accessibility Level by Transport for London's method ("Assessing
// transport connectivity in London", TfL 2015; PTAL methodology, TfL 2010):
//
//   walk time   = walk distance / walk speed (80 m/min)
//   SWT         = 0.5 × 60 / services per hour            (scheduled waiting time, min)
//   AWT         = SWT + reliability (2.0 bus, 0.75 rail, Underground, tram)
//   TAT         = walk time + AWT                          (total access time, min)
//   EDF         = 30 / TAT                                 (equivalent doorstep frequency)
//   each route counted once, at the stop giving it the highest EDF;
//   AI(mode)    = max EDF + 0.5 × sum of the other EDFs of that mode;
//   AI          = sum over modes; band 0, 1a, 1b, 2, 3, 4, 5, 6a, 6b.
//
// Stops count within 640 m (bus) or 960 m (rail, Underground, tram). Distances are
// straight lines here, not walking routes: outputs say so.

#include <cstdint>
#include <string>
#include <vector>

#include "hearth/geometry/spatial_index.hpp"

namespace hearth {

enum class TransportMode { Bus, Rail, Underground, Tram };

/// "bus", "rail", "underground", "tram" (also "overground", "dlr", "lu", "metro"); throws
/// std::invalid_argument otherwise.
TransportMode parse_transport_mode(const std::string& text);
const char* transport_mode_name(TransportMode mode);

/// Every assumption of the method, overridable in a study's `parameters:`.
struct PtalParameters {
    double walk_speed_m_per_min = 80.0;   ///< TfL PTAL guidance
    double bus_max_walk_m = 640.0;        ///< 8 minutes at 80 m/min
    double rail_max_walk_m = 960.0;       ///< 12 minutes; rail, Underground and tram
    double bus_reliability_min = 2.0;     ///< added to bus waiting time
    double rail_reliability_min = 0.75;   ///< added to rail, Underground and tram waiting time
};

/// A service access point (stop or station entrance) and the routes calling there.
struct ServiceAccessPoint {
    std::string stop_id;
    double x;
    double y;
};

struct StopRoute {
    std::uint32_t stop;          ///< index into the stops
    std::string route_id;
    TransportMode mode;
    double services_per_hour;    ///< AM peak, > 0
};

/// One route's part in a location's index, for the per-route breakdown.
struct RouteContribution {
    std::string route_id;
    TransportMode mode;
    std::string stop_id;     ///< the stop the route is counted at
    double walk_m;
    double walk_min;
    double swt_min;
    double awt_min;
    double tat_min;
    double edf;
    double weight;           ///< 1 for the best route of its mode, 0.5 for the others
};

struct PtalResult {
    double access_index = 0.0;
    std::string band = "0";
    std::vector<RouteContribution> routes;  ///< filled when asked for
};

/// The PTAL band of an access index (TfL thresholds: 0, ≤2.5 1a, ≤5 1b, ≤10 2, ≤15 3,
/// ≤20 4, ≤25 5, ≤40 6a, above 6b).
std::string ptal_band(double access_index);

/// The bands in order, "0" to "6b", and the position of an access index's band in it.
const std::vector<std::string>& ptal_band_names();
int ptal_band_index(double access_index);

/// EDF of one route at one stop.
double equivalent_doorstep_frequency(double walk_m, double services_per_hour, TransportMode mode,
                                     const PtalParameters& p);

/// The stops and the routes calling at each, before a calculator indexes them: what a
/// development brief changes (a new stop, more services on a route) before PTAL is
/// computed again.
struct PtalNetwork {
    std::vector<ServiceAccessPoint> stops;
    std::vector<StopRoute> routes;
    PtalParameters parameters;
};

class PtalCalculator {
public:
    /// Validates the parameters and frequencies (std::invalid_argument naming the route).
    PtalCalculator(std::vector<ServiceAccessPoint> stops, std::vector<StopRoute> routes, PtalParameters parameters);

    PtalResult at(double x, double y, bool with_breakdown = false) const;
    const PtalParameters& parameters() const { return parameters_; }

private:
    std::vector<ServiceAccessPoint> stops_;
    std::vector<std::vector<std::uint32_t>> routes_at_stop_;  ///< indices into routes_
    std::vector<StopRoute> routes_;
    std::vector<std::uint32_t> route_key_;  ///< per route: its (mode, route id) as a number, in that order
    PtalParameters parameters_;
    struct ReachGroup {
        double reach_m = 0;                ///< the farthest walk to any of these stops
        std::vector<std::uint32_t> stops;  ///< stop indices
        PointTree index;
    };
    std::vector<ReachGroup> reach_groups_;
    std::size_t route_keys_ = 0;
};

}  // namespace hearth
