#pragma once
// The `access:` section of a study file: which study layers play which part in the
// accessibility analysis (homes, areas to summarise by, green space, stops, GPs).
//
//   access:
//     homes: {layer: housing_stock, id: uprn, weight: homes}
//     areas:
//       - {layer: lsoa_deprivation, id: lsoa11cd, name: lsoa11nm, population: population_mid2015}
//       - {layer: wards, id: ward_code, name: ward_name}
//     greenspace: {sites: greenspace_sites, id: site_id, function: function,
//                  access_points: greenspace_access_points, access_key: site_id}
//     transport:
//       stops: [{layer: bus_stops, id: naptan_atco, mode: bus}, {layer: rail_stations, id: atco_code}]
//       frequencies: stop_frequencies
//     gp_practices: {layer: gp_practices, id: practice_code, patients: registered_patients}

#include <string>

#include "hearth/io/study.hpp"
#include <vector>

namespace hearth {

struct AccessAreas {
    std::string layer;
    std::string id;
    std::string population;  ///< optional: residents field; else homes × people_per_home
    std::string name;        ///< optional: name field carried to the summary (lsoa11nm, ward_name)
};

struct AccessStops {
    std::string layer;
    std::string id;
    std::string mode;  ///< optional: mode of stops with no frequency row (for default_bus_services_per_hour)
};

struct AccessConfig {
    std::string homes_layer;
    std::string homes_id;        ///< optional field carried to the output
    std::string homes_weight;    ///< optional: homes at each point (a block of flats is one point)
    std::vector<AccessAreas> areas;

    std::string greenspace_layer;
    std::string greenspace_id = "site_id";
    std::string greenspace_function = "function";
    std::string access_points_layer;  ///< optional
    std::string access_key = "site_id";
    /// OS Open Greenspace functions open to the public; others (golf courses, bowling
    /// greens, tennis courts, other sports facilities) are left out. Default after
    /// Natural England's Green Infrastructure Framework (2023) use of OS Open Greenspace.
    std::vector<std::string> accessible_functions = {"Public Park Or Garden", "Playing Field", "Play Space",
                                                     "Allotments Or Community Growing Spaces", "Cemetery",
                                                     "Religious Grounds"};

    std::vector<AccessStops> stops;
    std::string frequencies_layer;

    std::string gp_layer;
    std::string gp_id;
    std::string gp_patients;  ///< registered patients per practice (list size); may be empty
};

/// The study's `access:` section, parsed and checked against its layers; InputError
/// naming the study file and line, or saying the section is missing.
AccessConfig access_config(const Study& study);

}  // namespace hearth
