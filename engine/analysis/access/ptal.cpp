#include "hearth/analysis/access/ptal.hpp"

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
    // One index per walk limit (bus 640 m; rail, Underground and tram 960 m): a location
    // searches each only as far as its stops can be walked to, and a stop serving both
    // kinds sits in the farther-reaching one.
    for (std::uint32_t s = 0; s < stops_.size(); ++s) {
        double reach = 0;
        for (std::uint32_t r : routes_at_stop_[s]) reach = std::max(reach, max_walk(routes_[r].mode, parameters_));
        if (reach == 0) continue;  // no service: adds nothing anywhere
        auto group = std::find_if(reach_groups_.begin(), reach_groups_.end(), [&](const ReachGroup& g) { return g.reach_m == reach; });
        if (group == reach_groups_.end()) {
            reach_groups_.emplace_back();
            reach_groups_.back().reach_m = reach;
            group = reach_groups_.end() - 1;
        }
        group->stops.push_back(s);
    }
    for (auto& group : reach_groups_) {
        std::vector<PointEntry> entries;
        for (const std::uint32_t s : group.stops) entries.emplace_back(IndexPoint(stops_[s].x, stops_[s].y), s);
        group.index = PointTree(entries.begin(), entries.end());  // packed (bulk-loaded)
    }
    route_keys_ = keys.size();
}

PtalResult PtalCalculator::at(double x, double y, bool with_breakdown) const {
    // Scratch space reused by each thread across the millions of calls of a national run:
    // the best stop of each route key reached so far, stamped with the call it belongs to.
    struct Reach {
        std::uint32_t key;  ///< route key: (mode, route id) order
        double edf;
        double walk_m;
        std::uint32_t route;
    };
    struct Scratch {
        const PtalCalculator* owner = nullptr;
        std::uint64_t call = 0;
        std::vector<std::uint64_t> stamp;   ///< per route key: the call that last reached it
        std::vector<std::uint32_t> slot;    ///< per route key: its place in `reached`
        std::vector<PointEntry> nearby;
        std::vector<Reach> reached;
    };
    thread_local Scratch scratch;
    if (scratch.owner != this || scratch.stamp.size() != route_keys_) {
        scratch.owner = this;
        scratch.stamp.assign(route_keys_, 0);
        scratch.slot.assign(route_keys_, 0);
        scratch.call = 0;
    }
    const std::uint64_t call = ++scratch.call;
    auto& reached = scratch.reached;
    reached.clear();

    // Each route counts at its best stop: highest EDF, then the nearer stop, then the lower
    // stop index (deterministic).
    for (const auto& group : reach_groups_) {
        auto& nearby = scratch.nearby;
        nearby.clear();
        const double r = group.reach_m;
        group.index.query(bgi::intersects(IndexBox({x - r, y - r}, {x + r, y + r})), std::back_inserter(nearby));
        for (const auto& [point, stop] : nearby) {
            const double walk = std::hypot(point.x() - x, point.y() - y);
            if (walk > r) continue;
            for (std::uint32_t route_index : routes_at_stop_[stop]) {
                const StopRoute& route = routes_[route_index];
                if (walk > max_walk(route.mode, parameters_)) continue;
                const Reach candidate{route_key_[route_index],
                                      equivalent_doorstep_frequency(walk, route.services_per_hour, route.mode, parameters_),
                                      walk, route_index};
                if (scratch.stamp[candidate.key] != call) {
                    scratch.stamp[candidate.key] = call;
                    scratch.slot[candidate.key] = static_cast<std::uint32_t>(reached.size());
                    reached.push_back(candidate);
                    continue;
                }
                Reach& best = reached[scratch.slot[candidate.key]];
                if (candidate.edf > best.edf ||
                    (candidate.edf == best.edf &&
                     (walk < best.walk_m || (walk == best.walk_m && route.stop < routes_[best.route].stop))))
                    best = candidate;
            }
        }
    }
    std::sort(reached.begin(), reached.end(), [](const Reach& a, const Reach& b) { return a.key < b.key; });

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
