#include "hearth/core/point_table.hpp"

#include <charconv>
#include <limits>
#include <stdexcept>

namespace hearth {

namespace {

PointColumn column(std::string name, std::string description, FieldType type, PointColumn::Kind kind) {
    PointColumn c;
    c.definition = {std::move(name), type, std::move(description)};
    c.kind = kind;
    return c;
}

}  // namespace

PointColumn PointColumn::real(std::string name, std::string description, std::vector<double> values) {
    PointColumn c = column(std::move(name), std::move(description), FieldType::Real, Kind::Real);
    c.reals = std::move(values);
    return c;
}

PointColumn PointColumn::integer(std::string name, std::string description, std::vector<std::int64_t> values) {
    PointColumn c = column(std::move(name), std::move(description), FieldType::Integer, Kind::Integer);
    c.integers = std::move(values);
    return c;
}

PointColumn PointColumn::text(std::string name, std::string description, std::vector<std::string> values) {
    PointColumn c = column(std::move(name), std::move(description), FieldType::String, Kind::Text);
    c.texts = std::move(values);
    return c;
}

PointColumn PointColumn::carried_id(std::string name, std::string description, std::vector<std::string> ids,
                                    FieldType type) {
    if (type == FieldType::String) return text(std::move(name), std::move(description), std::move(ids));
    // Whole numbers or reals, each read whole; empty is null.
    auto parse = [&](auto null) {
        std::vector<decltype(null)> values(ids.size(), null);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const std::string& v = ids[i];
            if (v.empty()) continue;
            const auto r = std::from_chars(v.data(), v.data() + v.size(), values[i]);
            if (r.ec != std::errc() || r.ptr != v.data() + v.size())
                throw std::invalid_argument("'" + v + "' is not " +
                                            (type == FieldType::Integer ? "a whole number" : "a number"));
        }
        return values;
    };
    if (type == FieldType::Integer) return integer(std::move(name), std::move(description), parse(kNullInteger));
    return real(std::move(name), std::move(description), parse(std::numeric_limits<double>::quiet_NaN()));
}

PointColumn PointColumn::coded(std::string name, std::string description, std::vector<std::int32_t> codes,
                               std::vector<std::string> labels) {
    PointColumn c = column(std::move(name), std::move(description), FieldType::String, Kind::Coded);
    c.codes = std::move(codes);
    c.labels = std::move(labels);
    return c;
}

std::size_t PointColumn::size() const {
    switch (kind) {
        case Kind::Real: return reals.size();
        case Kind::Integer: return integers.size();
        case Kind::Text: return texts.size();
        case Kind::Coded: return codes.size();
    }
    return 0;
}

void PointTable::check() const {
    if (y.size() != x.size()) throw std::logic_error("point table '" + name + "': x and y differ in length");
    for (const auto& c : columns) {
        if (c.size() != size())
            throw std::logic_error("point table '" + name + "': column '" + c.definition.name + "' has " +
                                   std::to_string(c.size()) + " values for " + std::to_string(size()) + " points");
        if (c.kind == PointColumn::Kind::Coded)
            for (const std::int32_t code : c.codes)
                if (code < -1 || code >= static_cast<std::int64_t>(c.labels.size()))
                    throw std::logic_error("point table '" + name + "': column '" + c.definition.name +
                                           "' has a code without a label");
    }
}

}  // namespace hearth
