#include "hearth/core/field_names.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace hearth {

std::string normalise_field_name(const std::string& name) {
    std::string_view in = name;
    if (in.substr(0, 3) == "\xEF\xBB\xBF") in.remove_prefix(3);
    std::string out;
    bool pending_space = false;
    for (unsigned char c : in) {
        if (std::isalnum(c)) {
            if (pending_space && !out.empty()) out += ' ';
            pending_space = false;
            out += static_cast<char>(std::tolower(c));
        } else {
            pending_space = true;
        }
    }
    return out;
}

namespace {

constexpr std::size_t kMinTruncatedLength = 8;

bool extends_at_word_boundary(const std::string& header, const std::string& candidate) {
    return header.size() > candidate.size() && header.compare(0, candidate.size(), candidate) == 0 &&
           header[candidate.size()] == ' ';
}

bool truncates(const std::string& header, const std::string& candidate) {
    // DBF truncation also drops the separators, so compare with spaces removed too.
    auto squash = [](std::string s) {
        s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
        return s;
    };
    const std::string h = squash(header), c = squash(candidate);
    return h.size() >= kMinTruncatedLength && h.size() < c.size() && c.compare(0, h.size(), h) == 0;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<FieldMatch> match_field(const std::vector<std::string>& headers,
                                      const std::vector<std::string>& candidates) {
    std::vector<std::string> normalised;
    normalised.reserve(headers.size());
    for (const auto& h : headers) normalised.push_back(normalise_field_name(h));

    for (FieldMatchKind kind : {FieldMatchKind::Exact, FieldMatchKind::HeaderExtendsCandidate,
                                FieldMatchKind::HeaderTruncatesCandidate}) {
        for (const auto& candidate_raw : candidates) {
            const std::string candidate = normalise_field_name(candidate_raw);
            if (candidate.empty()) continue;
            std::optional<int> found;
            for (int i = 0; i < static_cast<int>(normalised.size()); ++i) {
                const std::string& h = normalised[i];
                const bool hit = kind == FieldMatchKind::Exact                    ? h == candidate
                                 : kind == FieldMatchKind::HeaderExtendsCandidate ? extends_at_word_boundary(h, candidate)
                                                                                  : truncates(h, candidate);
                if (!hit) continue;
                if (found)
                    throw std::invalid_argument("both '" + headers[*found] + "' and '" + headers[i] +
                                                "' match '" + candidate_raw + "'");
                found = i;
            }
            if (found) return FieldMatch{*found, kind};
        }
    }
    return std::nullopt;
}

std::vector<std::string> closest_field_names(const std::vector<std::string>& headers,
                                             const std::vector<std::string>& wanted, std::size_t limit) {
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& h : headers) {
        const std::string n = normalise_field_name(h);
        std::size_t d = std::string::npos;
        for (const auto& w : wanted) {
            const std::string target = normalise_field_name(w);
            d = std::min(d, edit_distance(n, target));
            // Compare against the header's prefix as well, so long published headers with
            // explanatory suffixes are not penalised for their length.
            if (n.size() > target.size()) d = std::min(d, edit_distance(n.substr(0, target.size()), target) + 1);
        }
        scored.emplace_back(d, h);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < limit; ++i) out.push_back(scored[i].second);
    return out;
}

std::string field_safe(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? "blank" : out;
}

}  // namespace hearth
