#include "hearth/core/scorecard.hpp"

#include <algorithm>

namespace hearth {

double weighted_total(const std::vector<CriterionScore>& criteria) {
    double sum = 0, weights = 0;
    for (const auto& c : criteria) {
        sum += c.weight * c.score;
        weights += c.weight;
    }
    return weights > 0 ? sum / weights : 0.0;
}

namespace {

bool small(const std::optional<double>& v, int threshold) { return v && *v > 0 && *v < threshold; }

void primary(ScoreMeasure& m, int threshold) {
    if (!m.is_count_of_people) return;
    m.baseline_suppressed = m.baseline_suppressed || small(m.baseline, threshold);
    m.proposal_suppressed = m.proposal_suppressed || small(m.proposal, threshold);
}

}  // namespace

void suppress_small_counts(Scorecard& scorecard, int threshold) {
    scorecard.suppress_below = threshold;
    for (auto& b : scorecard.briefs) {
        for (auto& c : b.criteria)
            for (auto& m : c.measures) primary(m, threshold);
        for (auto& m : b.programme) primary(m, threshold);
        // Secondary: homes by tenure add up to the total shown beside them.
        std::vector<ScoreMeasure*> tenures;
        for (auto& m : b.programme)
            if (m.id.rfind("homes_", 0) == 0 && m.id != "homes_total" && m.id != "homes_demolished" &&
                m.id != "homes_reprovided")
                tenures.push_back(&m);
        const auto withheld = std::count_if(tenures.begin(), tenures.end(), [](const ScoreMeasure* m) { return m->proposal_suppressed; });
        if (withheld == 1) {
            ScoreMeasure* next = nullptr;
            for (auto* m : tenures)
                if (!m->proposal_suppressed && m->proposal && *m->proposal > 0 && (!next || *m->proposal < *next->proposal)) next = m;
            if (next) next->proposal_suppressed = true;
        }
        // Secondary: a net change shown beside its two parts reveals a withheld part.
        for (auto& c : b.criteria)
            for (auto& m : c.measures)
                if (m.is_count_of_people && m.baseline_suppressed != m.proposal_suppressed && m.id == "social_rent_homes") {
                    m.baseline_suppressed = m.proposal_suppressed = true;
                    for (auto& n : c.measures)
                        if (n.id == "net_social_rent") n.proposal_suppressed = true;
                }
    }
}

}  // namespace hearth
