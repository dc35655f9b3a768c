#pragma once
// Scores a development brief against the health evidence of its place, baseline (today)
// against proposal (after the brief), criterion by criterion (docs/methods.md, "Scoring
// development briefs"):
//
//   need                   how much the catchment needs health gain (IMD, health domain,
//                          IoD health indicators, Census bad health, pockets); sets how much
//                          housing and health infrastructure count
//   housing                affordable share against the London Plan target, social-rent
//                          homes re-provided
//   health_infrastructure  GPs the new residents need against the consulting rooms added
//   open_space             accessible green space per 1,000 residents and ANGSt's 300 m tier
//   active_travel          PTAL at the site, recomputed with the brief's transport changes
//   air_quality            NO2 and PM2.5 at the site against UK limits and WHO guidelines
//
// The stages: prepare the study once (prepare_assessment) → per brief, the catchment and
// its evidence (gather_evidence) → scores (score_evidence) → sensitivity (vary each
// assumption over its range) → layers for the GeoPackage and the report
// (assessment_layers). The catchment is the site buffered by assess_catchment_m; area
// values are population-weighted with each area's population apportioned by the share of
// its area inside the catchment.

#include <array>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include "hearth/analysis/access/accessibility.hpp"
#include "hearth/analysis/assess/assess_config.hpp"
#include "hearth/analysis/assess/brief.hpp"
#include "hearth/core/feature_table.hpp"
#include "hearth/core/parameters.hpp"
#include "hearth/core/point_set.hpp"
#include "hearth/core/scorecard.hpp"

namespace hearth {

/// Natural England's ANGSt tiers: a site of at least `hectares` within the distance of
/// parameter `parameter`.
struct AngstTier {
    const char* id;
    const char* label;
    double hectares;
    const char* parameter;
};
extern const std::array<AngstTier, 4> kAngstTiers;

/// The criteria in the order scorecards list them.
const std::vector<std::string>& assessment_criteria();

/// The study's layers as assess reads them, looked up and indexed once for every brief.
struct AssessmentInputs {
    AssessConfig config;
    const FeatureTable* areas = nullptr;
    int area_id = -1, area_name = -1, population = -1, imd_score = -1, imd_decile = -1, health_score = -1;
    int overcrowding = -1, no2 = -1, pm25 = -1;
    std::vector<int> health_indicators;
    std::vector<double> area_m2;                 ///< per area
    const FeatureTable* census = nullptr;
    int census_population = -1, census_share = -1;
    std::vector<double> census_area_m2;
    const FeatureTable* housing = nullptr;       ///< points
    int housing_homes = -1, housing_tenure = -1, housing_epc = -1, housing_cat1 = -1;
    PointSet homes;                              ///< the housing points, for PTAL and ANGSt per home
    std::vector<double> homes_weight;            ///< homes at each point
    std::vector<std::uint32_t> homes_by_x;       ///< housing point indices sorted by easting
    const FeatureTable* greenspace = nullptr;
    std::vector<std::size_t> accessible_sites;   ///< feature indices of publicly accessible sites
    std::vector<double> site_ha;                 ///< per accessible site
    std::optional<PtalNetwork> transport;
    std::optional<PtalCalculator> ptal_today;    ///< the study's network, indexed once for every brief
    std::vector<double> home_ptal_today;         ///< per housing point: access index today
    /// Per ANGSt tier: the accessible sites of its size, and per housing point whether one
    /// lies within the tier's distance today (computed once; a brief only adds to them).
    std::array<std::vector<const OGRGeometry*>, 4> tier_sites;
    std::array<std::vector<char>, 4> home_tier_today;
    std::array<double, 4> tier_reach_today{};    ///< the distances home_tier_today was computed with
    std::unordered_map<const OGRGeometry*, OGREnvelope> envelopes;  ///< of the areas, sites and practices
    std::vector<char> stop_is_station;           ///< per network stop: served by rail, Underground or tram
    std::map<std::string, std::string> stop_names;  ///< stop id -> its name, where the stop layer has one
    const FeatureTable* gp_practices = nullptr;
    int gp_patients = -1, gp_name = -1;
    const FeatureTable* pockets = nullptr;       ///< hearth pockets' deprivation_pockets, may be null
    int pocket_name = -1;
    /// The borough (every area of the study): population-weighted means.
    double borough_imd_score = 0, borough_imd_decile = 0, borough_health_score = 0;
    std::optional<double> borough_bad_health, borough_overcrowding, borough_no2, borough_pm25;
    std::vector<std::optional<double>> borough_health_indicators;  ///< parallel to health_indicators
    std::vector<std::string> illustrative_inputs;
    std::vector<std::string> notes;
    /// --suppress-below: counts of people or homes from 1 to this less one are written
    /// "fewer than N" in explanations (the measures are marked by suppress_small_counts).
    int suppress_below = 0;
};

/// Looks up every configured layer and field; InputError naming the layer and field.
/// `pockets` (hearth pockets' result, optional) must outlive the inputs.
/// PTAL and ANGSt of every housing point today are computed here, once, on `workers` threads.
AssessmentInputs prepare_assessment(const AssessConfig& config, const StudyTables& tables, const Parameters& parameters,
                                    const FeatureTable* pockets, unsigned workers = 1);

/// What the brief's catchment holds, before and after the brief.
struct BriefEvidence {
    OGRGeometryUniquePtr catchment;
    double catchment_m = 0;                 ///< the buffer distance it was drawn with
    double site_x = 0, site_y = 0;          ///< a point inside the site (its point on surface)
    std::vector<std::size_t> areas;         ///< areas touching the catchment
    std::vector<double> area_share;         ///< share of each one's area inside the catchment
    double residents = 0;                   ///< apportioned population of the catchment
    double catchment_covered = 1;           ///< share of the catchment's area that the study's areas cover
    double imd_score = 0, imd_decile = 0, health_score = 0;
    std::vector<double> health_indicators;
    std::optional<double> bad_health_share, overcrowding;
    std::vector<std::string> pockets;       ///< names of pockets touching the catchment
    TenureCounts homes_on_site{};           ///< existing stock inside the site boundary
    double cat1_homes_on_site = 0, epc_fg_homes_on_site = 0;
    double new_residents = 0, residents_leaving = 0;
    bool yield_by_bedrooms = false;
    int practices = 0;
    double patients = 0;
    bool list_sizes = false;
    double green_ha = 0, new_green_ha = 0;
    std::vector<std::size_t> green_sites;   ///< accessible sites touching the catchment (feature indices)
    std::vector<std::size_t> catchment_homes;  ///< housing points inside the catchment
    std::vector<char> angst_before, angst_after;  ///< per catchment home: a 2 ha site within 300 m
    double angst_share_before = 0, angst_share_after = 0;
    std::array<double, 4> tier_share_before{}, tier_share_after{};  ///< every ANGSt tier (kAngstTiers)
    bool new_homes_angst = false;
    std::vector<double> home_ai_before, home_ai_after;  ///< per catchment home
    double site_ai_before = 0, site_ai_after = 0;
    double homes_ai_before = 0, homes_ai_after = 0;
    std::optional<double> nearest_station_m;
    std::string nearest_station;
    std::optional<double> site_no2, site_pm25;
    std::optional<double> catchment_no2, catchment_pm25;  ///< population-weighted over the catchment
    bool has_transport = false, has_greenspace = false, has_gp = false;
};

/// The evidence of one brief under `parameters`; InputError naming the brief when its
/// site lies outside the study's areas.
BriefEvidence gather_evidence(const AssessmentInputs& in, const Brief& brief, const Parameters& parameters);

/// The scorecard of a brief from its evidence: every criterion's score, weight, rating,
/// measures and explanation, and the total.
BriefScorecard score_evidence(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e,
                              const Parameters& parameters);

/// gather_evidence, score_evidence, then the sensitivity of the total to each assumption
/// and weight (each varied over the range docs/methods.md gives).
BriefScorecard assess_brief(const AssessmentInputs& in, const Brief& brief, const Parameters& parameters,
                            BriefEvidence* evidence = nullptr);

/// The parameters of a brief's run: the study's, with the brief's `weights:`.
Parameters brief_parameters(const Parameters& study, const Brief& brief);

/// The assumptions behind the scores, for the outputs: every parameter assess reads.
std::vector<ScoreAssumption> assessment_assumptions(const Parameters& parameters);

/// Layers for assessment.gpkg, one row per brief (or per brief and feature).
struct AssessmentLayers {
    FeatureTable sites, catchments, catchment_areas, homes, new_open_space, new_stops, greenspace;
};
AssessmentLayers assessment_layers(const AssessmentInputs& in, const std::vector<const Brief*>& briefs,
                                   const std::vector<const BriefEvidence*>& evidence,
                                   const std::vector<const BriefScorecard*>& scorecards);

}  // namespace hearth
