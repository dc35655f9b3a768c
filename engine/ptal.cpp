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

std::string ptal_band(double ai) {
    if (ai <= 0.0) return "0";
    if (ai <= 2.5) return "1a";
    if (ai <= 5.0) return "1b";
    if (ai <= 10.0) return "2";
    if (ai <= 15.0) return "3";
    if (ai <= 20.0) return "4";
    if (ai <= 25.0) return "5";
    if (ai <= 40.0) return "6a";
    return "6b";
}

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
    std::vector<PointEntry> nearby;
    index_.query(bgi::intersects(IndexBox({x - reach, y - reach}, {x + reach, y + reach})), std::back_inserter(nearby));

    // Best EDF of each route (route id and mode), over the stops within its mode's walk limit.
    struct Best {
        double edf = -1;
        std::uint32_t route = 0;
        double walk_m = 0;
    };
    std::map<std::pair<int, std::string>, Best> best;
    for (const auto& [point, stop] : nearby) {
        const double walk = std::hypot(point.x() - x, point.y() - y);
        for (std::uint32_t r : routes_at_stop_[stop]) {
            const StopRoute& route = routes_[r];
            if (walk > max_walk(route.mode, parameters_)) continue;
            const double edf = equivalent_doorstep_frequency(walk, route.services_per_hour, route.mode, parameters_);
            Best& b = best[{static_cast<int>(route.mode), route.route_id}];
            // Ties between stops go to the nearer, then the lower stop index: deterministic.
            if (edf > b.edf || (edf == b.edf && (walk < b.walk_m || (walk == b.walk_m && route.stop < routes_[b.route].stop))))
                b = {edf, r, walk};
        }
    }

    PtalResult result;
    std::map<int, std::vector<const std::pair<const std::pair<int, std::string>, Best>*>> by_mode;
    for (const auto& entry : best) by_mode[entry.first.first].push_back(&entry);
    for (auto& [mode, entries] : by_mode) {
        std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) {
            return a->second.edf != b->second.edf ? a->second.edf > b->second.edf : a->first.second < b->first.second;
        });
        for (std::size_t k = 0; k < entries.size(); ++k) {
            const double weight = k == 0 ? 1.0 : 0.5;
            const Best& b = entries[k]->second;
            result.access_index += weight * b.edf;
            if (!with_breakdown) continue;
            const StopRoute& route = routes_[b.route];
            const double walk_min = b.walk_m / parameters_.walk_speed_m_per_min;
            const double swt = 0.5 * 60.0 / route.services_per_hour;
            const double awt = swt + reliability(route.mode, parameters_);
            result.routes.push_back({route.route_id, route.mode, stops_[route.stop].stop_id, b.walk_m, walk_min, swt, awt,
                                     walk_min + awt, b.edf, weight});
        }
    }
    result.band = ptal_band(result.access_index);
    return result;
}

}  // namespace hearth
