// Brief scoring: each scoring function against arithmetic worked by hand, every criterion
// on a tiny hand-built study whose numbers are worked out in the comments, and the brief
// file's validation, one test per class of error.

#include <cmath>

#include <gtest/gtest.h>

#include "hearth/analysis/assess/brief_assessment.hpp"
#include "hearth/analysis/assess/criterion_scoring.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/scorecard.hpp"
#include "hearth/geometry/crs.hpp"
#include "test_support.hpp"

namespace hearth {
namespace {

using test::TempDir;
using test::write_text;

// ---- scoring functions

TEST(CriterionScoringTest, NeedRunsFromDecileOneToTen) {
    EXPECT_DOUBLE_EQ(need_score(1.0), 100.0);
    EXPECT_DOUBLE_EQ(need_score(5.5), 50.0);  // 100 × 4.5 / 9
    EXPECT_DOUBLE_EQ(need_score(10.0), 0.0);
    EXPECT_DOUBLE_EQ(need_score(0.5), 100.0);  // clamped
}

TEST(CriterionScoringTest, HousingWeighsAffordableShareAndSocialRentReprovision) {
    // 60 × min(1, 0.40 / 0.50) + 40 × (1 − 97 / 297) = 48 + 26.9360...
    EXPECT_NEAR(housing_score(0.40, 0.50, -97, 297), 48.0 + 40.0 * (200.0 / 297.0), 1e-12);
    EXPECT_DOUBLE_EQ(housing_score(0.60, 0.35, 10, 0), 100.0);  // over target, net gain
    EXPECT_DOUBLE_EQ(housing_score(0.0, 0.35, 0, 0), 40.0);     // no affordable homes, no loss
    EXPECT_DOUBLE_EQ(housing_score(0.35, 0.35, -300, 297), 60.0);  // more lost than demolished: none re-provided
}

TEST(CriterionScoringTest, HealthInfrastructureIsCapacityOverNeed) {
    EXPECT_DOUBLE_EQ(health_infrastructure_score(2.5, 2.0), 80.0);
    EXPECT_DOUBLE_EQ(health_infrastructure_score(2.5, 5.0), 100.0);
    EXPECT_DOUBLE_EQ(health_infrastructure_score(0.0, 0.0), 100.0);  // no new residents, nothing needed
}

TEST(CriterionScoringTest, OpenSpaceHalvesBetweenStandardAndAngst) {
    EXPECT_DOUBLE_EQ(open_space_score(1.5, 3.0, 0.4), 25.0 + 20.0);
    EXPECT_DOUBLE_EQ(open_space_score(6.0, 3.0, 1.0), 100.0);
}

TEST(CriterionScoringTest, ActiveTravelIsAccessIndexOverFullIndex) {
    EXPECT_DOUBLE_EQ(active_travel_score(12.5, 25.0), 50.0);
    EXPECT_DOUBLE_EQ(active_travel_score(40.0, 25.0), 100.0);
}

TEST(CriterionScoringTest, PollutantRunsFromLimitToGuideline) {
    EXPECT_DOUBLE_EQ(pollutant_score(25, 10, 40), 50.0);
    EXPECT_DOUBLE_EQ(pollutant_score(8, 10, 40), 100.0);
    EXPECT_DOUBLE_EQ(pollutant_score(45, 10, 40), 0.0);
    EXPECT_DOUBLE_EQ(air_quality_score(25, 12.5, 10, 40, 5, 20), 50.0);
    EXPECT_THROW(pollutant_score(25, 40, 40), std::invalid_argument);
}

TEST(CriterionScoringTest, RatingsAndNeedUplift) {
    EXPECT_EQ(rag_rating(67, 67, 40), "green");
    EXPECT_EQ(rag_rating(66.9, 67, 40), "amber");
    EXPECT_EQ(rag_rating(39.9, 67, 40), "red");
    EXPECT_DOUBLE_EQ(weight_after_need("housing", 1.0, 50, 1.0), 1.5);
    EXPECT_DOUBLE_EQ(weight_after_need("health_infrastructure", 2.0, 100, 0.5), 3.0);
    EXPECT_DOUBLE_EQ(weight_after_need("open_space", 1.0, 100, 1.0), 1.0);
}

TEST(CriterionScoringTest, TotalIsTheWeightedMeanOfTheCriteria) {
    std::vector<CriterionScore> c(3);
    c[0].score = 80, c[0].weight = 2;
    c[1].score = 50, c[1].weight = 1;
    c[2].score = 10, c[2].weight = 0;
    EXPECT_DOUBLE_EQ(weighted_total(c), (2 * 80 + 50) / 3.0);
    for (auto& x : c) x.weight = 0;
    EXPECT_DOUBLE_EQ(weighted_total(c), 0.0);
}

// ---- a tiny study, worked by hand
//
// Two areas side by side: A = [0,1000] × [0,1000] (1,000 people, IMD decile 1, score 40,
// NO2 30, PM2.5 10) and B = [1000,2000] × [0,1000] (3,000 people, decile 7, score 10,
// NO2 40, PM2.5 12). The site is [850,1050] × [400,600]: 150 × 200 m in A, 50 × 200 m in B.
// With a catchment of 0 m the catchment is the site, so the area shares are
// 30,000 / 1,000,000 = 0.03 of A (30 people) and 10,000 / 1,000,000 = 0.01 of B (30 people).

OGRSpatialReference bng() { return parse_crs("EPSG:27700"); }

FeatureTable table(const std::string& name, std::vector<FieldDefinition> fields, OGRwkbGeometryType type) {
    FeatureTable t;
    t.name = name;
    t.source = name + ".test";
    t.fields = std::move(fields);
    t.geometry_type = type;
    t.crs = bng();
    return t;
}

void add(FeatureTable& t, std::vector<FieldValue> values, const std::string& geometry) {
    Feature f;
    f.source_row = static_cast<std::int64_t>(t.features.size()) + 1;
    f.values = std::move(values);
    if (!geometry.empty()) f.geometry = test::wkt(geometry);
    t.features.push_back(std::move(f));
}

struct TinyStudy {
    FeatureTable areas = table("areas",
                               {{"lsoa11cd", FieldType::String, ""}, {"population", FieldType::Integer, ""},
                                {"imd_score", FieldType::Real, ""}, {"imd_decile", FieldType::Integer, ""},
                                {"health_score", FieldType::Real, ""}, {"no2", FieldType::Real, ""}, {"pm25", FieldType::Real, ""}},
                               wkbPolygon);
    FeatureTable housing = table("housing",
                                 {{"tenure", FieldType::String, ""}, {"homes", FieldType::Integer, ""},
                                  {"cat1", FieldType::Integer, ""}, {"epc", FieldType::String, ""}},
                                 wkbPoint);
    FeatureTable green = table("green", {{"site_id", FieldType::String, ""}, {"function", FieldType::String, ""}}, wkbPolygon);
    FeatureTable stops = table("stops", {{"stop_id", FieldType::String, ""}}, wkbPoint);
    FeatureTable frequencies = table("frequencies",
                                     {{"stop_id", FieldType::String, ""}, {"route_id", FieldType::String, ""},
                                      {"mode", FieldType::String, ""}, {"services_per_hour", FieldType::Real, ""}},
                                     wkbNone);
    FeatureTable gps = table("gps", {{"practice_code", FieldType::String, ""}, {"patients", FieldType::Integer, ""}}, wkbPoint);
    AssessConfig config;
    StudyTables tables;
    Parameters parameters;

    TinyStudy() {
        add(areas, {std::string("A"), std::int64_t{1000}, 40.0, std::int64_t{1}, 1.0, 30.0, 10.0},
            "POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))");
        add(areas, {std::string("B"), std::int64_t{3000}, 10.0, std::int64_t{7}, -0.5, 40.0, 12.0},
            "POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 0))");
        // Two homes on the site (10 social rent; 30 market with a Category 1 hazard, EPC G)
        // and one far off.
        add(housing, {std::string("Social rent"), std::int64_t{10}, std::int64_t{0}, std::string("C")}, "POINT(950 500)");
        add(housing, {std::string("Private rent"), std::int64_t{30}, std::int64_t{1}, std::string("G")}, "POINT(1040 500)");
        add(housing, {std::string("Owner occupied"), std::int64_t{5}, std::int64_t{0}, std::string("D")}, "POINT(1800 900)");
        // A 4 ha park 150 m east of the site, and a golf course (not publicly accessible).
        add(green, {std::string("G1"), std::string("Public Park Or Garden")}, "POLYGON((1200 400,1400 400,1400 600,1200 600,1200 400))");
        add(green, {std::string("G2"), std::string("Golf Course")}, "POLYGON((850 700,1050 700,1050 900,850 900,850 700))");
        // One bus stop 200 m north of the site's inner point (950, 500), route R1 at 6 an hour.
        add(stops, {std::string("S1")}, "POINT(950 700)");
        add(frequencies, {std::string("S1"), std::string("R1"), std::string("bus"), 6.0}, "");
        // One practice on the site with 1,000 patients, one outside.
        add(gps, {std::string("P1"), std::int64_t{1000}}, "POINT(1000 450)");
        add(gps, {std::string("P2"), std::int64_t{9000}}, "POINT(1900 100)");

        config.areas.layer = "areas";
        config.areas.id = "lsoa11cd";
        config.areas.population = "population";
        config.areas.no2 = "no2";
        config.areas.pm25 = "pm25";
        config.housing = {"housing", "homes", "tenure", "epc", "cat1"};
        config.access.greenspace_layer = "green";
        config.access.stops = {{"stops", "stop_id", "bus"}};
        config.access.frequencies_layer = "frequencies";
        config.access.gp_layer = "gps";
        config.access.gp_patients = "patients";
        tables.tables = {&areas, &housing, &green, &stops, &frequencies, &gps};
        parameters.set("assess_catchment_m", 0);
        parameters.set("patients_per_gp", 100);
    }
};

/// The brief of the worked example: 100 homes (40 social rent, 10 affordable rent, 10
/// intermediate, 40 market) on public land, 80 demolished (50 social rent, 30 market),
/// 24 m² of health floorspace, a 1 ha park, 4 more buses an hour on R1.
Brief worked_brief() {
    Brief b;
    b.name = "worked";
    b.file = "worked.yaml";
    b.site = test::wkt("POLYGON((850 400,1050 400,1050 600,850 600,850 400))");
    b.public_land = true;
    b.homes = {40, 10, 10, 40};
    b.demolished = {50, 0, 0, 30};
    b.health_floorspace_m2 = 24;
    BriefOpenSpace park;
    park.name = "park";
    park.area_m2 = 10000;
    OGRPoint centre(950, 500);
    park.shape.reset(centre.Buffer(std::sqrt(10000 / M_PI), 16));
    b.open_space.push_back(std::move(park));
    b.extra_services = {{"R1", 4}};
    return b;
}

const CriterionScore& criterion(const BriefScorecard& s, const std::string& id) {
    for (const auto& c : s.criteria)
        if (c.id == id) return c;
    throw std::logic_error("no criterion " + id);
}

std::optional<double> measure_of(const CriterionScore& c, const std::string& id, bool proposal = true) {
    for (const auto& m : c.measures)
        if (m.id == id) return proposal ? m.proposal : m.baseline;
    return std::nullopt;
}

TEST(BriefAssessmentTest, EveryCriterionMatchesTheWorkedExample) {
    TinyStudy study;
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    const Brief brief = worked_brief();
    BriefEvidence e;
    const BriefScorecard s = assess_brief(in, brief, study.parameters, &e);

    // need: residents 30 + 30 = 60; decile (30 × 1 + 30 × 7) / 60 = 4; need 100 × 6 / 9.
    EXPECT_NEAR(e.residents, 60.0, 1e-6);
    EXPECT_NEAR(e.imd_decile, 4.0, 1e-9);
    EXPECT_NEAR(e.imd_score, (30 * 40.0 + 30 * 10.0) / 60.0, 1e-9);  // 25
    const double need = 100.0 * 6.0 / 9.0;
    EXPECT_NEAR(criterion(s, "need").score, need, 1e-9);
    EXPECT_EQ(criterion(s, "need").rag, "amber");  // 66.7: just under the green bound, a medium need

    // housing: 60 of 100 affordable against 50% → 60; social rent 40 built − 50 demolished = −10,
    // re-provision 1 − 10/50 = 0.8 → 32; 92. The stock holds 10 social-rent and 30 market
    // homes on the site, 30 with a Category 1 hazard and 30 in EPC G.
    EXPECT_NEAR(criterion(s, "housing").score, 92.0, 1e-9);
    EXPECT_DOUBLE_EQ(e.homes_on_site[0], 10.0);
    EXPECT_DOUBLE_EQ(e.homes_on_site[3], 30.0);
    EXPECT_DOUBLE_EQ(e.cat1_homes_on_site, 30.0);
    EXPECT_DOUBLE_EQ(e.epc_fg_homes_on_site, 30.0);
    // Baseline: the stock on the site, 10 of 40 affordable: 60 × min(1, 0.25 / 0.5) + 40 = 70.
    EXPECT_NEAR(*criterion(s, "housing").baseline_score, 70.0, 1e-9);

    // health: 100 homes × 2.36 (no bedroom mix) = 236 people; 80 demolished × 2.36 = 188.8
    // leave; 47.2 net at 100 patients per GP need 0.472 GPs; 24 m² / 60 m² per room = 0.4
    // rooms = 0.4 GPs; 100 × 0.4 / 0.472.
    EXPECT_NEAR(e.new_residents, 236.0, 1e-9);
    EXPECT_NEAR(criterion(s, "health_infrastructure").score, 100.0 * 0.4 / 0.472, 1e-9);
    EXPECT_EQ(e.practices, 1);
    EXPECT_DOUBLE_EQ(e.patients, 1000.0);

    // open space: no accessible green space in the catchment (the park is outside, the golf
    // course not public): 0 ha per 1,000; every home within 300 m of the 4 ha park (250 m
    // and 160 m, the new homes at (950, 500) 250 m): 0 + 50 = 50 before. After: the 1 ha
    // park for 60 + 47.2 residents, 9.33 ha per 1,000, over the standard: 50 + 50 = 100.
    EXPECT_NEAR(e.green_ha, 0.0, 1e-12);
    EXPECT_NEAR(e.new_green_ha, 1.0, 1e-9);
    EXPECT_NEAR(*criterion(s, "open_space").baseline_score, 50.0, 1e-9);
    EXPECT_NEAR(criterion(s, "open_space").score, 100.0, 1e-9);
    EXPECT_NEAR(*measure_of(criterion(s, "open_space"), "ha_per_1000"), 1.0 / 107.2 * 1000.0, 1e-9);

    // active travel: the stop is 200 m from (950, 500): walk 2.5 min, wait 0.5 × 60 / 6 + 2
    // = 7, EDF 30 / 9.5; with 4 more buses: wait 3 + 2 = 5, EDF 30 / 7.5 = 4.
    EXPECT_DOUBLE_EQ(e.site_x, 950.0);
    EXPECT_DOUBLE_EQ(e.site_y, 500.0);
    EXPECT_NEAR(e.site_ai_before, 30.0 / 9.5, 1e-9);
    EXPECT_NEAR(e.site_ai_after, 4.0, 1e-9);
    EXPECT_NEAR(*criterion(s, "active_travel").baseline_score, 100.0 * (30.0 / 9.5) / 25.0, 1e-9);
    EXPECT_NEAR(criterion(s, "active_travel").score, 16.0, 1e-9);

    // air: the site's point lies in A: NO2 100 × (40 − 30) / 30, PM2.5 100 × (20 − 10) / 15.
    EXPECT_NEAR(criterion(s, "air_quality").score, (100.0 / 3.0 + 200.0 / 3.0) / 2.0, 1e-9);

    // weights: need 0; housing and health 1 + need / 100; the others 1.
    const double up = 1.0 + need / 100.0;
    EXPECT_NEAR(criterion(s, "housing").weight, up, 1e-12);
    EXPECT_NEAR(criterion(s, "health_infrastructure").weight, up, 1e-12);
    EXPECT_DOUBLE_EQ(criterion(s, "need").weight, 0.0);
    const double total = (up * 92.0 + up * 100.0 * 0.4 / 0.472 + 100.0 + 16.0 + 50.0) / (2 * up + 3);
    EXPECT_NEAR(s.total, total, 1e-9);
    EXPECT_NEAR(s.total, weighted_total(s.criteria), 1e-12);
}

TEST(BriefAssessmentTest, BedroomMixUsesTheYieldTable) {
    TinyStudy study;
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    Brief b = worked_brief();
    b.bedrooms = {50, 50, 0, 0};  // half 1-bed, half 2-bed, in every tenure
    // Social and affordable rent (50 homes): 25 × 1.3 + 25 × 2.6 = 97.5;
    // intermediate and market (50 homes): 25 × 1.4 + 25 × 2.1 = 87.5.
    const BriefEvidence e = gather_evidence(in, b, study.parameters);
    EXPECT_NEAR(e.new_residents, 97.5 + 87.5, 1e-9);
    EXPECT_TRUE(e.yield_by_bedrooms);
}

TEST(BriefAssessmentTest, ScoresDoNotDependOnTheOrderOfTheAreas) {
    TinyStudy study;
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    const BriefScorecard a = assess_brief(in, worked_brief(), study.parameters);
    std::swap(study.areas.features[0], study.areas.features[1]);
    const AssessmentInputs swapped = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    const BriefScorecard b = assess_brief(swapped, worked_brief(), study.parameters);
    ASSERT_EQ(a.criteria.size(), b.criteria.size());
    for (std::size_t k = 0; k < a.criteria.size(); ++k) EXPECT_NEAR(a.criteria[k].score, b.criteria[k].score, 1e-9);
}

TEST(BriefAssessmentTest, SensitivityVariesEachAssumptionAndRanksBySwing) {
    TinyStudy study;
    study.parameters.set("assess_catchment_m", 200);
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    const BriefScorecard s = assess_brief(in, worked_brief(), study.parameters);
    ASSERT_FALSE(s.sensitivity.empty());
    for (std::size_t k = 1; k < s.sensitivity.size(); ++k) EXPECT_GE(s.sensitivity[k - 1].swing, s.sensitivity[k].swing);
    bool catchment = false, weight = false;
    for (const auto& r : s.sensitivity) {
        catchment = catchment || r.assumption == "assess_catchment_m";
        weight = weight || r.assumption == "weight_housing";
        EXPECT_NEAR(r.swing, std::max(std::fabs(r.low_total - s.total), std::fabs(r.high_total - s.total)), 1e-12);
    }
    EXPECT_TRUE(catchment);
    EXPECT_TRUE(weight);
}

TEST(BriefAssessmentTest, ANewStationRaisesPtalAtTheSite) {
    TinyStudy study;
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    Brief b = worked_brief();
    b.extra_services.clear();
    BriefStop station;
    station.id = "NEW";
    station.mode = TransportMode::Rail;
    station.x = 950;
    station.y = 550;
    station.routes = {{"X", 10}};
    b.new_stops.push_back(station);
    const BriefEvidence e = gather_evidence(in, b, study.parameters);
    // Rail: 50 m walk 0.625 min, wait 0.5 × 60 / 10 + 0.75 = 3.75, EDF 30 / 4.375; the bus
    // as before, 30 / 9.5. One route of each mode: both count in full.
    EXPECT_NEAR(e.site_ai_before, 30.0 / 9.5, 1e-9);
    EXPECT_NEAR(e.site_ai_after, 30.0 / 9.5 + 30.0 / 4.375, 1e-9);
    ASSERT_TRUE(e.nearest_station_m);
    EXPECT_NEAR(*e.nearest_station_m, 50.0, 1e-9);
    EXPECT_EQ(e.nearest_station, "NEW");
}

TEST(BriefAssessmentTest, ASiteOutsideTheStudyIsAnErrorNamingTheBrief) {
    TinyStudy study;
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    Brief b = worked_brief();
    b.site = test::wkt("POLYGON((5000 5000,5100 5000,5100 5100,5000 5100,5000 5000))");
    try {
        gather_evidence(in, b, study.parameters);
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("worked.yaml"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("outside the study"), std::string::npos) << e.what();
    }
}

TEST(BriefAssessmentTest, ARouteTheStudyDoesNotRunIsAnError) {
    TinyStudy study;
    const AssessmentInputs in = prepare_assessment(study.config, study.tables, study.parameters, nullptr);
    Brief b = worked_brief();
    b.extra_services = {{"R99", 4}};
    EXPECT_THROW(gather_evidence(in, b, study.parameters), InputError);
}

TEST(BriefAssessmentTest, SmallCountsAreSuppressedWithTheirComplement) {
    Scorecard card;
    BriefScorecard b;
    auto homes = [](const std::string& id, double n) {
        ScoreMeasure m;
        m.id = id;
        m.unit = "homes";
        m.proposal = n;
        m.is_count_of_people = true;
        return m;
    };
    b.programme = {homes("homes_social_rent", 3), homes("homes_affordable_rent", 40), homes("homes_intermediate", 0),
                   homes("homes_market", 60), homes("homes_total", 103)};
    card.briefs.push_back(b);
    suppress_small_counts(card, 10);
    const auto& p = card.briefs[0].programme;
    EXPECT_TRUE(p[0].proposal_suppressed);   // 3 < 10: primary
    EXPECT_TRUE(p[1].proposal_suppressed);   // 40: the next smallest, or 103 − 40 − 60 reveals the 3
    EXPECT_FALSE(p[2].proposal_suppressed);  // a zero discloses no one
    EXPECT_FALSE(p[3].proposal_suppressed);
    EXPECT_FALSE(p[4].proposal_suppressed);
    EXPECT_EQ(*p[0].proposal, 3.0);  // withheld in outputs, never zeroed in the data
}

// ---- brief files: one test per class of error

class BriefFileTest : public ::testing::Test {
protected:
    TempDir dir;
    OGRSpatialReference crs = bng();

    std::filesystem::path brief(const std::string& body) {
        const auto file = dir / "brief.yaml";
        write_text(file, body);
        return file;
    }
    /// The InputError's message for `body`, or "" when it loads.
    std::string error_of(const std::string& body) {
        try {
            load_brief(brief(body), crs, assessment_criteria());
        } catch (const InputError& e) {
            return e.what();
        }
        return "";
    }
};

const std::string kSite = "site: {wkt: 'POLYGON((850 400,1050 400,1050 600,850 600,850 400))'}\n";

TEST_F(BriefFileTest, AValidBriefLoadsWithEveryPart) {
    const Brief b = load_brief(brief("name: Test\n" + kSite +
                                     "homes: {social_rent: 10, market: 30}\n"
                                     "bedrooms: {'1': 20, '2': 20}\n"
                                     "demolished: {social_rent: 5}\n"
                                     "open_space: [{name: park, area_ha: 1.5, at: [950, 500]}]\n"
                                     "transport: {new_stops: [{id: N1, mode: bus, at: [900, 450], routes: [{route: R9, "
                                     "services_per_hour: 6}]}]}\n"
                                     "health: {gp_consulting_rooms: 2}\n"
                                     "phasing: {2027: 15, 2028: 25}\n"
                                     "weights: {housing: 2}\n"),
                               crs, assessment_criteria());
    EXPECT_EQ(b.name, "Test");
    EXPECT_DOUBLE_EQ(b.total_homes(), 40);
    EXPECT_DOUBLE_EQ(b.open_space[0].area_m2, 15000);
    EXPECT_EQ(b.new_stops[0].routes[0].route, "R9");
    EXPECT_DOUBLE_EQ(b.gp_consulting_rooms, 2);
    ASSERT_EQ(b.weights.size(), 1u);
    EXPECT_TRUE(b.notes.empty());
}

TEST_F(BriefFileTest, UnknownKeyIsNamedWithItsLine) {
    const std::string e = error_of("name: T\n" + kSite + "homes: {social_rent: 10}\nhomse: 3\n");
    EXPECT_NE(e.find("brief.yaml: line 4: unknown key 'homse'"), std::string::npos) << e;
}

TEST_F(BriefFileTest, WrongTypeIsNamed) {
    const std::string e = error_of("name: T\n" + kSite + "homes: {social_rent: many}\n");
    EXPECT_NE(e.find("line 3"), std::string::npos) << e;
    EXPECT_NE(e.find("'homes.social_rent' must be a number, found 'many'"), std::string::npos) << e;
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {social_rent: 10.5}\n").find("whole number"), std::string::npos);
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {social_rent: -1}\n").find("must not be negative"), std::string::npos);
}

TEST_F(BriefFileTest, AQuantityWithoutItsUnitIsAnError) {
    const std::string e = error_of("name: T\n" + kSite + "homes: {market: 10}\nopen_space: [{area: 5000, at: [900, 500]}]\n");
    EXPECT_NE(e.find("'area'"), std::string::npos) << e;
    EXPECT_NE(e.find("area_m2 or area_ha"), std::string::npos) << e;
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {market: 10}\nhealth: {floorspace: 400}\n").find("floorspace_m2"),
              std::string::npos);
}

TEST_F(BriefFileTest, TenureSharesOverOneHundredPercentAreAnError) {
    const std::string e = error_of("name: T\n" + kSite + "homes: {total: 100, percent: {social_rent: 60, market: 50}}\n");
    EXPECT_NE(e.find("add up to 110%, more than 100%"), std::string::npos) << e;
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {total: 100, percent: {social_rent: 60}}\n").find("add up to 100%"),
              std::string::npos);
}

TEST_F(BriefFileTest, TotalsThatDoNotAddUpAreAnError) {
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {market: 10}\nbedrooms: {'1': 4}\n").find("'bedrooms' add up to 4"),
              std::string::npos);
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {market: 10}\nphasing: {2027: 4}\n").find("'phasing' completes 4"),
              std::string::npos);
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {market: 10}\nreprovided: {market: 4}\n").find("more than the homes demolished"),
              std::string::npos);
}

TEST_F(BriefFileTest, MissingPartsAreNamed) {
    EXPECT_NE(error_of(kSite + "homes: {market: 10}\n").find("missing 'name'"), std::string::npos);
    EXPECT_NE(error_of("name: T\nhomes: {market: 10}\n").find("missing 'site'"), std::string::npos);
    EXPECT_NE(error_of("name: T\n" + kSite).find("missing 'homes'"), std::string::npos);
    EXPECT_NE(error_of("name: T\nsite: {wkt: 'POINT(1 2)'}\nhomes: {market: 1}\n").find("polygon"), std::string::npos);
    EXPECT_NE(error_of("name: T\nsite: {wkt: 'POLYGON((1 2'}\nhomes: {market: 1}\n").find("not valid WKT"), std::string::npos);
    EXPECT_NE(error_of("name: T\n" + kSite + "homes: {market: 1}\nweights: {happiness: 3}\n").find("unknown key 'happiness'"),
              std::string::npos);
}

TEST_F(BriefFileTest, ABoundaryInAnotherCrsIsReprojectedAndSaidSo) {
    // A square of about 200 m near White Hart Lane in WGS 84, as GeoJSON (RFC 7946's CRS).
    const Brief b = load_brief(brief("name: T\nsite: {geojson: '{\"type\":\"Polygon\",\"coordinates\":[[[-0.0705,51.6035],"
                                     "[-0.0676,51.6035],[-0.0676,51.6053],[-0.0705,51.6053],[-0.0705,51.6035]]]}'}\n"
                                     "homes: {market: 1}\n"),
                               crs, assessment_criteria());
    OGREnvelope e;
    b.site->getEnvelope(&e);
    // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:27700 of the corners: x from 533717.86
    // (north-west) to 533923.97 (south-east), y from 191170.02 (south-west) to 191375.49.
    EXPECT_NEAR(e.MinX, 533717.86, 0.01);
    EXPECT_NEAR(e.MaxX, 533923.97, 0.01);
    EXPECT_NEAR(e.MinY, 191170.02, 0.01);
    EXPECT_NEAR(e.MaxY, 191375.49, 0.01);
    ASSERT_EQ(b.notes.size(), 1u);
    EXPECT_NE(b.notes[0].find("reprojected from EPSG:4326 to EPSG:27700"), std::string::npos) << b.notes[0];
}

TEST_F(BriefFileTest, ABoundaryFileIsReadRelativeToTheBrief) {
    write_text(dir / "site.geojson",
               "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:27700\"}},"
               "\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
               "[[[850,400],[1050,400],[1050,600],[850,600],[850,400]]]}}]}");
    const Brief b = load_brief(brief("name: T\nsite: {source: site.geojson}\nhomes: {market: 1}\n"), crs, assessment_criteria());
    EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(b.site.get())), 40000.0, 1e-6);
    EXPECT_NE(error_of("name: T\nsite: {source: nowhere.geojson}\nhomes: {market: 1}\n"), "");
}

}  // namespace
}  // namespace hearth
