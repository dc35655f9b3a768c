// A brief's criteria from its evidence: score, weight, rating, measures and explanation.
#include "hearth/analysis/assess/brief_assessment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <ogr_api.h>

#include "hearth/analysis/assess/assess_support.hpp"
#include "hearth/analysis/assess/criterion_scoring.hpp"
#include "hearth/core/errors.hpp"

namespace hearth {

using namespace assess_detail;

namespace {

ScoreMeasure measure(std::string id, std::string label, std::string unit, std::optional<double> baseline,
                     std::optional<double> proposal, std::string source) {
    ScoreMeasure m;
    m.id = std::move(id);
    m.label = std::move(label);
    m.unit = std::move(unit);
    m.baseline = baseline;
    m.proposal = proposal;
    m.source = std::move(source);
    return m;
}

std::optional<double> finite(double x) { return std::isfinite(x) ? std::optional<double>(x) : std::nullopt; }

CriterionScore need_criterion(const AssessmentInputs& in, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "need";
    c.title = "Need for health gain";
    c.score = std::isfinite(e.imd_decile) ? need_score(e.imd_decile) : 0.0;
    c.baseline_score = c.score;
    c.function = "100 x (10 - population-weighted IMD decile) / 9; rated as a level of need (red: high need)";
    const std::string layer = in.areas->name;
    auto m = measure("imd_score", "IMD 2019 score", "score (higher is more deprived)", finite(e.imd_score), finite(e.imd_score),
                     layer + "." + in.config.areas.imd_score);
    m.borough = finite(in.borough_imd_score);
    c.measures.push_back(m);
    m = measure("imd_decile", "IMD 2019 decile (1 = most deprived tenth of England)", "decile", finite(e.imd_decile),
                finite(e.imd_decile), layer + "." + in.config.areas.imd_decile);
    m.borough = finite(in.borough_imd_decile);
    m.england = 5.5;
    c.measures.push_back(m);
    m = measure("health_score", "Health Deprivation and Disability score", "score (England mean about 0; higher is worse)",
                finite(e.health_score), finite(e.health_score), layer + "." + in.config.areas.health_score);
    m.borough = finite(in.borough_health_score);
    m.england = 0.0;
    c.measures.push_back(m);
    for (std::size_t k = 0; k < in.health_indicators.size(); ++k) {
        const std::string& field = in.config.areas.health_indicators[k];
        m = measure(field, in.areas->fields[static_cast<std::size_t>(in.health_indicators[k])].description, "indicator",
                    finite(e.health_indicators[k]), finite(e.health_indicators[k]), layer + "." + field);
        m.borough = in.borough_health_indicators[k];
        c.measures.push_back(m);
    }
    if (e.bad_health_share) {
        m = measure("bad_health_share", "Residents in bad or very bad health (Census 2021)", "%", 100.0 * *e.bad_health_share,
                    100.0 * *e.bad_health_share, in.census->name + "." + in.config.census_health.share);
        if (in.borough_bad_health) m.borough = 100.0 * *in.borough_bad_health;
        m.england = 100.0 * p.get("england_bad_health_share");
        c.measures.push_back(m);
    }
    m = measure("residents", "Residents of the catchment (apportioned by area)", "people", e.residents, e.residents,
                layer + "." + in.config.areas.population);
    m.is_count_of_people = true;
    c.measures.push_back(m);
    if (in.pockets)
        c.measures.push_back(measure("pockets", "Pockets of deprivation touching the catchment (hearth pockets)", "pockets",
                                     static_cast<double>(e.pockets.size()), static_cast<double>(e.pockets.size()),
                                     "deprivation_pockets"));
    std::string pockets;
    for (const auto& n : e.pockets) pockets += (pockets.empty() ? "" : "; ") + n;
    c.explanation = "About " + count_text(in, e.residents) + " people live within " + whole(p.get("assess_catchment_m")) +
                    " m of the site, in areas of mean IMD decile " + fmt(e.imd_decile) + " (the borough " +
                    fmt(in.borough_imd_decile) + ", England 5.5) and IMD score " + fmt(e.imd_score) + " (borough " +
                    fmt(in.borough_imd_score) + ")" +
                    (e.bad_health_share ? "; " + percent(*e.bad_health_share) + " are in bad or very bad health (England " +
                                              percent(p.get("england_bad_health_share")) + ")"
                                        : std::string()) +
                    ". " +
                    (in.pockets ? (e.pockets.empty() ? std::string("No pocket of deprivation touches the catchment. ")
                                                     : std::to_string(e.pockets.size()) + " pocket(s) of deprivation touch it: " +
                                                           pockets + ". ")
                                : std::string()) +
                    "Need scores " + fmt(c.score, 0) + " of 100 and does not change with the proposal; it raises the weights of "
                    "housing and health infrastructure by " +
                    fmt(p.get("need_weight_uplift") * c.score, 0) + "%.";
    return c;
}

CriterionScore housing_criterion(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "housing";
    c.title = "Affordable and social-rent homes";
    const double target = p.get(brief.public_land ? "affordable_target_share_public_land" : "affordable_target_share");
    const double total = brief.total_homes();
    const double share = total > 0 ? brief.affordable_homes() / total : 0.0;
    const double social_new = brief.homes[0], social_gone = brief.demolished[0];
    const double net_social = social_new - social_gone;
    c.score = housing_score(share, target, net_social, social_gone);
    c.function = "60 x min(1, affordable share / target " + percent(target) +
                 ") + 40 x social-rent re-provision (1 when no net loss of social-rent homes, else 1 + net change / demolished)";
    double on_site = 0;
    for (double h : e.homes_on_site) on_site += h;
    const double existing_affordable = e.homes_on_site[0] + e.homes_on_site[1] + e.homes_on_site[2];
    if (on_site > 0) c.baseline_score = housing_score(existing_affordable / on_site, target, 0, 0);
    const std::string housing = in.housing ? in.housing->name : "the brief";
    // Homes kept on the site are those the housing layer holds there less those demolished
    // (never below 0: a housing layer may not hold every home the brief knows of).
    auto m = measure("homes", "Homes on the site", "homes", on_site, std::max(0.0, on_site - brief.total_demolished()) + total,
                     housing + " (baseline); the brief (proposal)");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    c.measures.push_back(measure("affordable_share", "Affordable homes (share of homes)", "%",
                                 on_site > 0 ? std::optional<double>(100.0 * existing_affordable / on_site) : std::nullopt,
                                 100.0 * share, "the brief; target London Plan H5"));
    m = measure("social_rent_homes", "Social-rent homes on the site", "homes", e.homes_on_site[0],
                std::max(0.0, e.homes_on_site[0] - social_gone) + social_new,
                housing + "; the brief");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    m = measure("net_social_rent", "Net change in social-rent homes (built less demolished)", "homes", 0.0, net_social, "the brief");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    if (in.housing_cat1 >= 0) {
        m = measure("cat1_homes_on_site", "Homes on the site with HHSRS Category 1 hazards", "homes", e.cat1_homes_on_site,
                    brief.total_demolished() > 0 ? std::max(0.0, e.cat1_homes_on_site - brief.total_demolished()) : e.cat1_homes_on_site,
                    housing + "." + in.config.housing.cat1);
        m.is_count_of_people = true;
        c.measures.push_back(m);
    }
    if (in.housing_epc >= 0) {
        m = measure("epc_fg_homes_on_site", "Homes on the site rated EPC F or G", "homes", e.epc_fg_homes_on_site,
                    brief.total_demolished() > 0 ? std::max(0.0, e.epc_fg_homes_on_site - brief.total_demolished()) : e.epc_fg_homes_on_site,
                    housing + "." + in.config.housing.epc);
        m.is_count_of_people = true;
        c.measures.push_back(m);
    }
    if (e.overcrowding) {
        m = measure("overcrowding", "Overcrowded households in the catchment (IoD2019 indicator)", "share", e.overcrowding,
                    e.overcrowding, in.areas->name + "." + in.config.areas.overcrowding);
        m.borough = in.borough_overcrowding;
        c.measures.push_back(m);
    }
    c.explanation = "The brief proposes " + count_text(in, total) + " homes, " + percent(share) + " of them affordable against a target of " +
                    percent(target) + (brief.public_land ? " (public land)" : "") + ", with " + count_text(in, social_new) +
                    " at social rent. It demolishes " + count_text(in, brief.total_demolished()) + " homes, " + count_text(in, social_gone) +
                    " of them at social rent, so social-rent homes change by " + (net_social >= 0 ? "+" : "-") + count_text(in, std::fabs(net_social)) +
                    "." +
                    (e.cat1_homes_on_site > 0 || e.epc_fg_homes_on_site > 0
                         ? " The site holds " + count_text(in, e.cat1_homes_on_site) + " homes with Category 1 hazards and " +
                               count_text(in, e.epc_fg_homes_on_site) + " rated EPC F or G today."
                         : std::string()) +
                    " Score " + fmt(c.score, 0) + " = 60 x " + fmt(std::min(1.0, target > 0 ? share / target : 1.0), 2) +
                    " + 40 x re-provision " +
                    fmt(net_social >= 0 ? 1.0 : (social_gone > 0 ? std::max(0.0, 1 + net_social / social_gone) : 0.0), 2) + ".";
    return c;
}

CriterionScore health_criterion(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "health_infrastructure";
    c.title = "GP capacity for new residents";
    const double per_gp = p.get("patients_per_gp");
    const double net_new = std::max(0.0, e.new_residents - e.residents_leaving);
    const double rooms = brief.gp_consulting_rooms + brief.health_floorspace_m2 / p.get("health_floorspace_m2_per_consulting_room");
    const double added = rooms * p.get("gp_fte_per_consulting_room");
    const double needed = net_new / per_gp;
    c.score = health_infrastructure_score(needed, added);
    c.function = "100 x min(1, GP FTE added / GP FTE the net new residents need at " + whole(per_gp) + " patients per GP)";
    auto m = measure("new_residents", "New residents (population yield)", "people", 0.0, e.new_residents,
                     e.yield_by_bedrooms ? "yield_* parameters by bedrooms and tenure" : "people_per_home");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    m = measure("net_new_residents", "Net new residents (less those of demolished homes)", "people", 0.0, net_new,
                "yield less demolished homes x people_per_home");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    if (e.has_gp) {
        c.measures.push_back(measure("practices", "GP practices in the catchment", "practices", e.practices, e.practices,
                                     in.gp_practices->name));
        if (e.list_sizes) {
            m = measure("registered_patients", "Patients registered at those practices", "people", e.patients,
                        e.patients + net_new, in.gp_practices->name + "." + in.config.access.gp_patients);
            m.is_count_of_people = true;
            c.measures.push_back(m);
            c.measures.push_back(measure("gp_fte_needed", "Full-time GPs those patients need", "GP FTE", e.patients / per_gp,
                                         (e.patients + net_new) / per_gp, "patients / patients_per_gp"));
        }
    }
    c.measures.push_back(measure("gp_fte_added", "GP capacity the brief adds", "GP FTE", 0.0, added,
                                 "consulting rooms x gp_fte_per_consulting_room"));
    c.explanation = "The brief's homes house about " + count_text(in, e.new_residents) + " people (" +
                    (e.yield_by_bedrooms ? "population yield by bedrooms and tenure" : "no bedroom mix given: people_per_home") +
                    "), " + count_text(in, net_new) + " more than the demolished homes held; at " + whole(per_gp) +
                    " patients per GP they need " + fmt(needed, 1) + " full-time GPs. It adds " + fmt(rooms, 0) +
                    " consulting rooms, about " + fmt(added, 1) + " GPs." +
                    (e.has_gp && e.list_sizes ? " The " + std::to_string(e.practices) + " practices in the catchment hold " +
                                                    count_text(in, e.patients) + " patients today, the work of " + fmt(e.patients / per_gp, 1) +
                                                    " full-time GPs at the benchmark."
                                              : std::string()) +
                    " The study has no GP workforce (FTE) figures, so 'GPs needed' is a need at the benchmark ratio, not a "
                    "measured shortfall.";
    return c;
}

CriterionScore open_space_criterion(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "open_space";
    c.title = "Accessible green space";
    const double standard = p.get("greenspace_ha_per_1000_standard");
    const double net_new = e.new_residents - e.residents_leaving;
    const double before = e.residents > 0 ? e.green_ha / e.residents * 1000.0 : 0.0;
    const double residents_after = e.residents + net_new;
    const double after = residents_after > 0 ? (e.green_ha + e.new_green_ha) / residents_after * 1000.0 : 0.0;
    c.score = open_space_score(after, standard, e.angst_share_after);
    c.baseline_score = open_space_score(before, standard, e.angst_share_before);
    c.function = "50 x min(1, ha per 1,000 residents / " + fmt(standard, 1) +
                 ") + 50 x share of homes with a 2 ha site within " + whole(p.get("angst_2ha_within_m")) + " m";
    const std::string layer = in.greenspace ? in.greenspace->name : "no green space layer";
    c.measures.push_back(measure("green_ha", "Accessible green space in the catchment", "ha", e.green_ha, e.green_ha + e.new_green_ha,
                                 layer + "; the brief's open_space"));
    auto m = measure("ha_per_1000", "Accessible green space per 1,000 residents", "ha per 1,000", before, after, layer);
    m.england = standard;  // the standard, shown beside it
    c.measures.push_back(m);
    for (std::size_t tier = 0; tier < kAngstTiers.size(); ++tier) {
        const auto& t = kAngstTiers[tier];
        c.measures.push_back(measure(t.id, std::string("Homes with a ") + t.label + " (ANGSt)", "%", 100.0 * e.tier_share_before[tier],
                                     100.0 * e.tier_share_after[tier], layer + "; " + (in.housing ? in.housing->name : "")));
    }
    double added_m2 = 0;
    for (const auto& s : brief.open_space) added_m2 += s.area_m2;
    c.explanation = "The catchment holds " + fmt(e.green_ha, 1) + " ha of publicly accessible green space for about " +
                    count_text(in, e.residents) + " residents, " + fmt(before, 2) + " ha per 1,000 against Natural England's " +
                    fmt(standard, 1) + ". The brief adds " + fmt(added_m2 / 10000.0, 2) + " ha and " + count_text(in, net_new) +
                    " net residents: " + fmt(after, 2) + " ha per 1,000. Homes with a 2 ha site within 300 m: " +
                    percent(e.angst_share_before) + " before, " + percent(e.angst_share_after) + " after" +
                    (e.new_homes_angst ? " (the new homes have one)." : " (the new homes do not).") +
                    (e.has_greenspace ? std::string() : " The study has no green space layer.");
    return c;
}

CriterionScore travel_criterion(const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "active_travel";
    c.title = "Public transport and active travel";
    const double full = p.get("ptal_score_full_access_index");
    c.score = active_travel_score(e.site_ai_after, full);
    c.baseline_score = active_travel_score(e.site_ai_before, full);
    c.function = "100 x min(1, PTAL access index at the site / " + fmt(full, 0) + ")";
    c.measures.push_back(measure("site_access_index", "PTAL access index at the site", "access index", e.site_ai_before,
                                 e.site_ai_after, "PTAL (TfL method) from the study's stops and frequencies"));
    c.measures.push_back(measure("site_ptal_band_index", "PTAL band at the site (0 = 0, 1 = 1a, ... 8 = 6b)", "band",
                                 ptal_band_index(e.site_ai_before), ptal_band_index(e.site_ai_after), "TfL band bounds"));
    c.measures.push_back(measure("homes_access_index", "Mean PTAL access index of the catchment's homes", "access index",
                                 e.homes_ai_before, e.homes_ai_after, "every home in the catchment and the new homes"));
    if (e.nearest_station_m)
        c.measures.push_back(measure("nearest_station_m", "Straight-line distance to the nearest station", "m", e.nearest_station_m,
                                     e.nearest_station_m, "station " + e.nearest_station));
    c.explanation = "PTAL at the site is " + ptal_band(e.site_ai_before) + " (access index " + fmt(e.site_ai_before) +
                    ") today and " + ptal_band(e.site_ai_after) + " (" + fmt(e.site_ai_after) +
                    ") with the brief's transport changes" +
                    (e.nearest_station_m ? "; the nearest station (" + e.nearest_station + ") is " + whole(*e.nearest_station_m) +
                                               " m away in a straight line"
                                         : std::string()) +
                    ". Walks are straight lines, not street routes." +
                    (e.has_transport ? std::string() : " The study has no public transport layers: PTAL is 0.");
    return c;
}

CriterionScore air_criterion(const AssessmentInputs& in, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "air_quality";
    c.title = "Air quality where people will live";
    c.function = "mean over NO2 and PM2.5 of 100 x (UK limit - concentration) / (UK limit - WHO guideline), clamped to 0-100";
    if (!e.site_no2 || !e.site_pm25) {
        c.score = 0;
        c.explanation = "The study has no NO2 and PM2.5 layer for the site, so air quality is not scored (weight 0).";
        return c;
    }
    const double no2_limit = p.get("no2_limit_ugm3"), no2_who = p.get("no2_guideline_ugm3");
    const double pm_limit = p.get("pm25_limit_ugm3"), pm_who = p.get("pm25_guideline_ugm3");
    try {
        c.score = air_quality_score(*e.site_no2, *e.site_pm25, no2_who, no2_limit, pm_who, pm_limit);
    } catch (const std::invalid_argument& ex) {
        throw InputError({{}, {}, {}, "parameters"}, ex.what());
    }
    c.baseline_score = c.score;
    auto m = measure("no2", "NO2 annual mean at the site (LAEI 2019)", "ug/m3", e.site_no2, e.site_no2,
                     in.areas->name + "." + in.config.areas.no2);
    m.borough = in.borough_no2;
    c.measures.push_back(m);
    m = measure("pm25", "PM2.5 annual mean at the site (LAEI 2019)", "ug/m3", e.site_pm25, e.site_pm25,
                in.areas->name + "." + in.config.areas.pm25);
    m.borough = in.borough_pm25;
    c.measures.push_back(m);
    if (e.catchment_no2) {
        m = measure("no2_catchment", "NO2 annual mean where the catchment's residents live (population-weighted)", "ug/m3",
                    e.catchment_no2, e.catchment_no2, in.areas->name + "." + in.config.areas.no2);
        c.measures.push_back(m);
    }
    if (e.catchment_pm25) {
        m = measure("pm25_catchment", "PM2.5 annual mean where the catchment's residents live (population-weighted)", "ug/m3",
                    e.catchment_pm25, e.catchment_pm25, in.areas->name + "." + in.config.areas.pm25);
        c.measures.push_back(m);
    }
    c.explanation = "NO2 at the site averages " + fmt(*e.site_no2) + " ug/m3 (UK limit " + fmt(no2_limit, 0) + ", WHO " +
                    fmt(no2_who, 0) + ") and PM2.5 " + fmt(*e.site_pm25) + " ug/m3 (UK limit " + fmt(pm_limit, 0) + ", WHO " +
                    fmt(pm_who, 0) + "), the modelled means of the area holding the site. The brief does not change them; "
                    "the score says how exposed the new homes will be.";
    return c;
}

}  // namespace

BriefScorecard score_evidence(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    BriefScorecard s;
    s.name = brief.name;
    s.file = brief.file.string();
    s.description = brief.description;
    s.notes = brief.notes;
    if (e.catchment_covered < 0.98)
        s.notes.push_back(fmt(100.0 * (1.0 - e.catchment_covered), 0) + "% of the catchment lies outside the study's areas (layer '" +
                          in.areas->name + "'): its residents, need and green space are those of the part inside");
    if (in.housing) {
        double on_site = 0;
        for (double h : e.homes_on_site) on_site += h;
        if (brief.total_demolished() > on_site + 0.5)
            s.notes.push_back("the brief demolishes " + whole(brief.total_demolished()) + " homes, but the housing layer '" +
                              in.housing->name + "' holds " + whole(on_site) + " on the site: check the boundary or the stock");
    }
    s.criteria.push_back(need_criterion(in, e, p));
    s.criteria.push_back(housing_criterion(in, brief, e, p));
    s.criteria.push_back(health_criterion(in, brief, e, p));
    s.criteria.push_back(open_space_criterion(in, brief, e, p));
    s.criteria.push_back(travel_criterion(e, p));
    s.criteria.push_back(air_criterion(in, e, p));
    const double need = s.criteria[0].score;
    for (auto& c : s.criteria) {
        c.base_weight = p.get("weight_" + c.id);
        c.weight = weight_after_need(c.id, c.base_weight, need, p.get("need_weight_uplift"));
        if (c.id == "air_quality" && (!e.site_no2 || !e.site_pm25)) c.weight = 0;
        c.rag = rag_rating(c.score, p.get("rag_green_min_score"), p.get("rag_amber_min_score"));
        // Need is not the brief's performance: its rating reads as the level of need, red
        // where need is high, so that a high-need place is never shown green.
        if (c.id == "need") c.rag = c.rag == "green" ? "red" : c.rag == "red" ? "green" : c.rag;
    }
    s.total = weighted_total(s.criteria);
    std::vector<CriterionScore> before = s.criteria;
    for (auto& c : before) c.score = c.baseline_score.value_or(c.score);
    s.baseline_total = weighted_total(before);

    auto programme = [&](std::string id, std::string label, double value, std::string unit = "homes") {
        ScoreMeasure m;
        m.id = std::move(id);
        m.label = std::move(label);
        m.unit = std::move(unit);
        m.proposal = value;
        m.is_count_of_people = m.unit == "homes" || m.unit == "people";
        s.programme.push_back(m);
    };
    for (Tenure t : kTenures)
        programme(std::string("homes_") + tenure_key(t), std::string("Homes: ") + tenure_label(t), brief.homes[static_cast<std::size_t>(t)]);
    programme("homes_total", "Homes proposed", brief.total_homes());
    programme("homes_demolished", "Homes demolished", brief.total_demolished());
    double reprovided = 0;
    for (double r : brief.reprovided) reprovided += r;
    programme("homes_reprovided", "Of the new homes, re-providing demolished ones", reprovided);
    double open = 0;
    for (const auto& o : brief.open_space) open += o.area_m2;
    programme("open_space_m2", "Public open space added", open, "m2");
    programme("gp_consulting_rooms", "GP consulting rooms added",
              brief.gp_consulting_rooms + brief.health_floorspace_m2 / p.get("health_floorspace_m2_per_consulting_room"), "rooms");
    programme("new_stops", "New stops or stations", static_cast<double>(brief.new_stops.size()), "stops");
    programme("new_residents", "New residents (yield)", e.new_residents, "people");
    for (const auto& [year, homes] : brief.phasing)
        programme("completed_" + std::to_string(year), "Homes completed in " + std::to_string(year), homes);
    return s;
}

}  // namespace hearth
