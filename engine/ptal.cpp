#include "hearth/ptal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>

namespace hearth {

TransportMode parse_transport_mode(const std::string& text) {
    std::string t;
    for (unsigned char c : text) t += static_cast<char>(std::tolower(c));
    if (t == "bus") return TransportMode::Bus;
    if (t == "rail" || t == "overground" || t == "national rail" || t == "elizabeth line") return TransportMode::Rail;
    if (t == "underground" || t == "lu" || t == "tube" || t == "dlr" || t == "metro") return TransportMode::Underground;
    if (t == "tram") return TransportMode::Tram;
    throw std::invalid_argument("mode '" + text + "' is not one of bus, rail, underground, tram");
}

const char* transport_mode_name(TransportMode mode) {
    switch (mode) {
        case TransportMode::Bus: return "bus";
        case TransportMode::Rail: return "rail";
        case TransportMode::Underground: return "underground";
        case TransportMode::Tram: return "tram";
    }
    return "?";
}

const std::vector<std::string>& ptal_band_names() {
    static const std::vector<std::string> names = {"0", "1a", "1b", "2", "3", "4", "5", "6a", "6b"};
    return names;
}

int ptal_band_index(double ai) {
    // Upper bounds of the access index for bands 0 ... 6a (TfL); above 40 is 6b.
    constexpr double kUpper[] = {0.0, 2.5, 5.0, 10.0, 15.0, 20.0, 25.0, 40.0};
    int band = 0;
    while (band < 8 && !(ai <= kUpper[band])) ++band;
    return band;
}

std::string ptal_band(double ai) { return ptal_band_names()[ptal_band_index(ai)]; }

namespace {

double reliability(TransportMode mode, const PtalParameters& p) {
    return mode == TransportMode::Bus ? p.bus_reliability_min : p.rail_reliability_min;
}

double max_walk(TransportMode mode, const PtalParameters& p) {
    return mode == TransportMode::Bus ? p.bus_max_walk_m : p.rail_max_walk_m;
}

}  // namespace

double equivalent_doorstep_frequency(double walk_m, double services_per_hour, TransportMode mode,
                                     const PtalParameters& p) {
    const double walk_min = walk_m / p.walk_speed_m_per_min;
    const double swt = 0.5 * 60.0 / services_per_hour;
    const double tat = walk_min + swt + reliability(mode, p);
    return 30.0 / tat;
}

PtalCalculator::PtalCalculator(std::vector<ServiceAccessPoint> stops, std::vector<StopRoute> routes,
                               PtalParameters parameters)
    : stops_(std::move(stops)), routes_(std::move(routes)), parameters_(parameters) {
    auto positive = [](double v) { return std::isfinite(v) && v > 0; };
    if (!positive(parameters_.walk_speed_m_per_min) || !positive(parameters_.bus_max_walk_m) ||
        !positive(parameters_.rail_max_walk_m) || !(parameters_.bus_reliability_min >= 0) ||
        !(parameters_.rail_reliability_min >= 0))
        throw std::invalid_argument("PTAL parameters must be positive numbers");
    // Routes are keyed by (mode, route id) as dense numbers in that order, so a location's
    // routes are grouped and ranked by sorting numbers instead of comparing strings.
    std::map<std::pair<int, std::string>, std::uint32_t> keys;
    for (const auto& route : routes_) keys.emplace(std::pair{static_cast<int>(route.mode), route.route_id}, 0);
    std::uint32_t next = 0;
    for (auto& [key, number] : keys) number = next++;
    route_key_.reserve(routes_.size());
    for (const auto& route : routes_) route_key_.push_back(keys.at({static_cast<int>(route.mode), route.route_id}));

    routes_at_stop_.resize(stops_.size());
    for (std::uint32_t r = 0; r < routes_.size(); ++r) {
        const auto& route = routes_[r];
        if (!positive(route.services_per_hour))
            throw std::invalid_argument("route '" + route.route_id + "' at stop '" + stops_.at(route.stop).stop_id +
                                        "' has services per hour " + std::to_string(route.services_per_hour) +
                                        "; expected a positive number");
        routes_at_stop_.at(route.stop).push_back(r);
    }
    std::vector<double> xs, ys;
    for (const auto& s : stops_) {
        xs.push_back(s.x);
        ys.push_back(s.y);
    }
    index_ = index_points(xs, ys);
}

PtalResult PtalCalculator::at(double x, double y, bool with_breakdown) const {
    const double reach = std::max(parameters_.bus_max_walk_m, parameters_.rail_max_walk_m);
    // Scratch space reused by each thread across the millions of calls of a national run.
    thread_local std::vector<PointEntry> nearby;
    struct Reach {
        std::uint32_t key;  ///< route key: (mode, route id) order
        double edf;
        double walk_m;
        std::uint32_t route;
    };
    thread_local std::vector<Reach> reached;
    nearby.clear();
    reached.clear();
    index_.query(bgi::intersects(IndexBox({x - reach, y - reach}, {x + reach, y + reach})), std::back_inserter(nearby));
    for (const auto& [point, stop] : nearby) {
        const double walk = std::hypot(point.x() - x, point.y() - y);
        for (std::uint32_t r : routes_at_stop_[stop]) {
            const StopRoute& route = routes_[r];
            if (walk > max_walk(route.mode, parameters_)) continue;
            reached.push_back({route_key_[r], equivalent_doorstep_frequency(walk, route.services_per_hour, route.mode, parameters_),
                               walk, r});
        }
    }
    // Each route counts at its best stop: highest EDF, then the nearer stop, then the lower
    // stop index (deterministic). Sorting puts that stop first within its route.
    std::sort(reached.begin(), reached.end(), [&](const Reach& a, const Reach& b) {
        if (a.key != b.key) return a.key < b.key;
        if (a.edf != b.edf) return a.edf > b.edf;
        if (a.walk_m != b.walk_m) return a.walk_m < b.walk_m;
        return routes_[a.route].stop < routes_[b.route].stop;
    });
    reached.erase(std::unique(reached.begin(), reached.end(), [](const Reach& a, const Reach& b) { return a.key == b.key; }),
                  reached.end());

    // Within each mode (contiguous: keys are in mode order) the best route counts in full
    // and the others at half; ties in EDF go to the lower route id (the lower key).
    PtalResult result;
    for (std::size_t begin = 0; begin < reached.size();) {
        const TransportMode mode = routes_[reached[begin].route].mode;
        std::size_t end = begin;
        while (end < reached.size() && routes_[reached[end].route].mode == mode) ++end;
        std::sort(reached.begin() + static_cast<std::ptrdiff_t>(begin), reached.begin() + static_cast<std::ptrdiff_t>(end),
                  [](const Reach& a, const Reach& b) { return a.edf != b.edf ? a.edf > b.edf : a.key < b.key; });
        for (std::size_t k = begin; k < end; ++k) {
            const double weight = k == begin ? 1.0 : 0.5;
            const Reach& b = reached[k];
            result.access_index += weight * b.edf;
            if (!with_breakdown) continue;
            const StopRoute& route = routes_[b.route];
            const double walk_min = b.walk_m / parameters_.walk_speed_m_per_min;
            const double swt = 0.5 * 60.0 / route.services_per_hour;
            const double awt = swt + reliability(route.mode, parameters_);
            result.routes.push_back({route.route_id, route.mode, stops_[route.stop].stop_id, b.walk_m, walk_min, swt, awt,
                                     walk_min + awt, b.edf, weight});
        }
        begin = end;
    }
    result.band = ptal_band(result.access_index);
    return result;
}

}  // namespace hearth
