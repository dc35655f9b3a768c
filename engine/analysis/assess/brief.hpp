#pragma once
// A development brief: a site boundary and its programme (homes by tenure and size,
// homes demolished, open space, transport changes, health floorspace, phasing), as a
// regeneration lead writes it in a YAML file (docs/briefs.md has a commented example).
//
// load_brief validates the whole file before any work is done: unknown keys, wrong
// types, quantities without their unit in the key (area_m2, floorspace_m2), tenure
// shares over 100%, bedroom or phasing totals that do not add up to the homes. Each is
// an InputError naming the file, the line and the key. The boundary is reprojected to
// the working CRS (and the brief says so in `notes`).

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "hearth/analysis/access/ptal.hpp"

namespace hearth {

/// Tenures a brief counts homes in; "affordable" are the first three.
enum class Tenure { SocialRent, AffordableRent, Intermediate, Market };
inline constexpr std::array<Tenure, 4> kTenures = {Tenure::SocialRent, Tenure::AffordableRent, Tenure::Intermediate,
                                                   Tenure::Market};
/// "social_rent", "affordable_rent" (London Affordable Rent and other affordable rent),
/// "intermediate" (shared ownership, London Living Rent), "market".
const char* tenure_key(Tenure tenure);
const char* tenure_label(Tenure tenure);
bool is_affordable(Tenure tenure);

/// Bedroom classes of the population yield table: 1, 2, 3, 4 or more (studios count as 1).
inline constexpr int kBedroomClasses = 4;

/// Homes per tenure, indexed by Tenure.
using TenureCounts = std::array<double, 4>;

struct BriefOpenSpace {
    std::string name;
    double area_m2 = 0;                 ///< publicly accessible area
    OGRGeometryUniquePtr shape;         ///< the polygon in the working CRS (a disc of area_m2 at `at` when only a point was given)
    bool shape_given = false;           ///< false: the disc stands in for an unknown shape
};

/// A new stop or station and the routes that will call there.
struct BriefStop {
    std::string id;
    TransportMode mode = TransportMode::Bus;
    double x = 0, y = 0;                ///< working CRS
    struct Route {
        std::string route;
        double services_per_hour = 0;   ///< AM peak
    };
    std::vector<Route> routes;
};

/// More services on a route that already runs (added at every stop it calls at).
struct BriefExtraService {
    std::string route;
    double services_per_hour = 0;
};

struct Brief {
    std::filesystem::path file;
    std::string name;
    std::string description;
    OGRGeometryUniquePtr site;          ///< (multi)polygon in the working CRS
    bool public_land = false;           ///< London Plan H5: 50% affordable on public land, else 35%
    TenureCounts homes{};               ///< proposed homes per tenure
    std::array<double, kBedroomClasses> bedrooms{};  ///< proposed homes by bedroom class (sums to the homes); all 0 = not given
    TenureCounts demolished{};          ///< homes on the site today that the brief demolishes
    TenureCounts reprovided{};          ///< of the proposed homes, those re-providing demolished ones (for the notes)
    std::vector<BriefOpenSpace> open_space;
    std::vector<BriefStop> new_stops;
    std::vector<BriefExtraService> extra_services;
    double gp_consulting_rooms = 0;     ///< new GP consulting rooms (or health floorspace converted by the parameter)
    double health_floorspace_m2 = 0;    ///< as given, when the brief gave floorspace instead of rooms
    std::vector<std::pair<int, double>> phasing;  ///< (year, homes completed that year)
    std::vector<std::pair<std::string, double>> weights;  ///< criterion id -> weight, overriding the study's
    std::vector<std::string> notes;     ///< e.g. "site boundary reprojected from EPSG:4326"

    double total_homes() const;
    double affordable_homes() const;
    double total_demolished() const;
};

/// Reads and validates a brief; paths in it are relative to the brief file. The site
/// must be a polygon or multipolygon. `criteria` are the ids a `weights:` key may name.
Brief load_brief(const std::filesystem::path& file, const OGRSpatialReference& working_crs,
                 const std::vector<std::string>& criteria);

}  // namespace hearth
