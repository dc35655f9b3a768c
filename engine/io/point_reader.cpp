#include "hearth/io/point_reader.hpp"

#include "hearth/core/problem_report.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>
#include <cmath>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <cpl_error.h>
#include <ogr_recordbatch.h>
#include <libpq-fe.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/core/published_text.hpp"
#include "hearth/core/repeated_keys.hpp"
#include "hearth/geometry/table_points.hpp"

namespace hearth {

namespace {

constexpr std::size_t kTransformBatch = 1 << 16;

int require_field(OGRLayer& layer, const LayerSource& source, const std::string& name) {
    const int index = layer.GetLayerDefn()->GetFieldIndex(name.c_str());
    if (index >= 0) return index;
    std::string hint;
    for (const auto& c : closest_field_names(field_names(layer), {name})) hint += (hint.empty() ? "'" : ", '") + c + "'";
    throw InputError({source.path, layer.GetName(), {}, name}, "no such field; closest: " + hint);
}

/// Appends rows to a point set; categories are numbered in order of first appearance.
struct RowSink {
    PointSet& out;
    std::map<std::string, std::int32_t>& category_ids;
    std::vector<std::string>& raw_categories;

    void point(double x, double y, std::int64_t fid) {
        out.x.push_back(x);
        out.y.push_back(y);
        out.source_row.push_back(fid);
    }
    void id(std::string_view text) { out.ids.push_back(trim_text(text)); }
    void category(const char* raw) {
        if (!raw) {
            out.category.push_back(-1);
            return;
        }
        const std::string text = trim_text(raw);
        const auto [it, inserted] = category_ids.emplace(text, static_cast<std::int32_t>(category_ids.size()));
        if (inserted) raw_categories.push_back(it->first);
        out.category.push_back(it->second);
    }
    void value(std::size_t v, double value) {
        if (v < rules.size())
            if (const auto problem = number_problem(*rules[v].field, value)) {
                std::ostringstream shown;
                shown << std::setprecision(12) << value;
                bad_value = shown.str();
                throw InputError({rules[v].file, rules[v].layer, out.source_row.back(), rules[v].header}, *problem);
            }
        out.values[v].push_back(value);
    }
    void null_value(std::size_t v) {
        ++out.null_counts[v];
        nulls_in_row.push_back(v);
        if (track_nulls) null_positions.emplace_back(out.values[v].size(), v);
        out.values[v].push_back(0.0);
    }

    /// A row is written column by column; a bad value part way is undone (--skip-invalid).
    void begin_row() {
        row_start = out.x.size();
        bad_value.clear();
        nulls_in_row.clear();
    }
    void abandon_row() {
        out.x.resize(row_start);
        out.y.resize(row_start);
        out.source_row.resize(row_start);
        if (out.ids.size() > row_start) out.ids.resize(row_start);
        if (out.category.size() > row_start) out.category.resize(row_start);
        for (auto& column : out.values)
            if (column.size() > row_start) column.resize(row_start);
        for (std::size_t v : nulls_in_row) --out.null_counts[v];
        if (track_nulls) null_positions.resize(null_positions.size() - nulls_in_row.size());
        nulls_in_row.clear();
    }

    /// The recipe's rule for each value column, and how the source names it.
    struct Rule {
        const RecipeField* field;
        std::string file, layer, header;
    };
    std::vector<Rule> rules{};
    std::string bad_value{};  ///< a value a rule refused, as text, for the problems layer
    std::size_t row_start = 0;
    std::vector<std::size_t> nulls_in_row{};
    /// Under --skip-invalid, where each null was read, in case its row is dropped later.
    bool track_nulls = false;
    std::vector<std::pair<std::size_t, std::size_t>> null_positions{};
};

/// Removes the points marked in `drop` from every column; `null_positions` (row, value
/// column) are the nulls read, so that the dropped ones leave the counts.
void drop_points(PointSet& out, const std::vector<bool>& drop,
                 const std::vector<std::pair<std::size_t, std::size_t>>& null_positions) {
    auto keep = [&](auto& column) {
        if (column.size() != drop.size()) return;
        std::size_t to = 0;
        for (std::size_t i = 0; i < column.size(); ++i)
            if (!drop[i]) column[to++] = std::move(column[i]);
        column.resize(to);
    };
    for (const auto& [row, v] : null_positions)  // a dropped row's nulls are no longer counted
        if (drop[row]) --out.null_counts[v];
    keep(out.x);
    keep(out.y);
    keep(out.source_row);
    keep(out.category);
    keep(out.ids);
    for (auto& column : out.values) keep(column);
}

bool dataset_is_geopackage(GDALDataset& ds) {
    return ds.GetDriver() && EQUAL(ds.GetDriver()->GetDescription(), "GPKG");
}

// ---- Reading through GDAL's Arrow C stream (GeoPackage fast path: about twice as fast
// as one OGRFeature per row). Only the column types GeoPackage produces are handled;
// anything else makes the caller fall back to the feature loop.

bool arrow_valid(const ArrowArray* a, std::int64_t row) {
    const auto* bitmap = static_cast<const std::uint8_t*>(a->buffers[0]);
    if (!bitmap || a->null_count == 0) return true;
    const std::int64_t j = row + a->offset;
    return (bitmap[j / 8] >> (j % 8)) & 1;
}

/// Bytes of a utf8 / binary value ('u', 'z': 32-bit offsets; 'U', 'Z': 64-bit).
std::string_view arrow_bytes(const ArrowArray* a, char format, std::int64_t row) {
    const std::int64_t j = row + a->offset;
    const auto* data = static_cast<const char*>(a->buffers[2]);
    if (format == 'U' || format == 'Z') {
        const auto* offsets = static_cast<const std::int64_t*>(a->buffers[1]);
        return {data + offsets[j], static_cast<std::size_t>(offsets[j + 1] - offsets[j])};
    }
    const auto* offsets = static_cast<const std::int32_t*>(a->buffers[1]);
    return {data + offsets[j], static_cast<std::size_t>(offsets[j + 1] - offsets[j])};
}

bool arrow_numeric_format(char f) { return f == 'l' || f == 'i' || f == 's' || f == 'c' || f == 'g' || f == 'f'; }

double arrow_number(const ArrowArray* a, char format, std::int64_t row) {
    const std::int64_t j = row + a->offset;
    switch (format) {
        case 'l': return static_cast<double>(static_cast<const std::int64_t*>(a->buffers[1])[j]);
        case 'i': return static_cast<const std::int32_t*>(a->buffers[1])[j];
        case 's': return static_cast<const std::int16_t*>(a->buffers[1])[j];
        case 'c': return static_cast<const std::int8_t*>(a->buffers[1])[j];
        case 'g': return static_cast<const double*>(a->buffers[1])[j];
        default: return static_cast<const float*>(a->buffers[1])[j];
    }
}

/// x, y of a WKB point (ISO or with Z/M), false for any other geometry or an empty point.
bool wkb_point(std::string_view wkb, double& x, double& y) {
    if (wkb.size() < 21 || (wkb[0] != 0 && wkb[0] != 1)) return false;
    const bool little = wkb[0] == 1;
    auto read = [&](std::size_t at, auto& value) {
        char bytes[sizeof value];
        std::memcpy(bytes, wkb.data() + at, sizeof value);
        if (little != (std::endian::native == std::endian::little)) std::reverse(bytes, bytes + sizeof value);
        std::memcpy(&value, bytes, sizeof value);
    };
    std::uint32_t type = 0;
    read(1, type);
    if (type % 1000 != 1) return false;
    read(5, x);
    read(13, y);
    return std::isfinite(x) && std::isfinite(y);
}

struct ArrowSchemaOwner {
    ArrowSchema schema{};
    ~ArrowSchemaOwner() { if (schema.release) schema.release(&schema); }
};
struct ArrowArrayOwner {
    ArrowArray array{};
    ~ArrowArrayOwner() { if (array.release) array.release(&array); }
};
struct ArrowStreamOwner {
    ArrowArrayStream stream{};
    ~ArrowStreamOwner() { if (stream.release) stream.release(&stream); }
};

/// Fills `sink` from the layer's Arrow stream; false (nothing read) when a column is of a
/// type not handled here. Throws InputError for bad values, as the feature loop does.
template <typename NumberIn>
bool read_points_arrow(OGRLayer& layer, int id_index, int category_index, const std::vector<int>& value_index,
                       int x_index, int y_index, RowSink& sink, NumberIn number_in, ProblemReport* problems) {
    CPLStringList options;
    options.AddNameValue("INCLUDE_FID", "YES");
    ArrowStreamOwner stream;
    if (!layer.GetArrowStream(&stream.stream, options.List())) return false;
    ArrowSchemaOwner schema;
    if (stream.stream.get_schema(&stream.stream, &schema.schema) != 0) return false;

    auto child = [&](const std::string& name) -> int {
        for (std::int64_t c = 0; c < schema.schema.n_children; ++c)
            if (name == schema.schema.children[c]->name) return static_cast<int>(c);
        return -1;
    };
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    const std::string fid_name = *layer.GetFIDColumn() ? layer.GetFIDColumn() : "OGC_FID";
    const std::string geometry_name = *layer.GetGeometryColumn() ? layer.GetGeometryColumn() : "wkb_geometry";
    const int fid_col = child(fid_name), geom_col = child(geometry_name);
    const int id_col = id_index >= 0 ? child(defn->GetFieldDefn(id_index)->GetNameRef()) : -1;
    const int category_col = category_index >= 0 ? child(defn->GetFieldDefn(category_index)->GetNameRef()) : -1;
    std::vector<int> value_cols;
    for (int i : value_index) value_cols.push_back(child(defn->GetFieldDefn(i)->GetNameRef()));
    const bool by_columns = x_index >= 0;
    const int x_col = by_columns ? child(defn->GetFieldDefn(x_index)->GetNameRef()) : -1;
    const int y_col = by_columns ? child(defn->GetFieldDefn(y_index)->GetNameRef()) : -1;
    auto format = [&](int col) { return col >= 0 ? schema.schema.children[col]->format[0] : '\0'; };
    auto is_text = [](char f) { return f == 'u' || f == 'U'; };
    if (fid_col < 0 || format(fid_col) != 'l') return false;
    if (!by_columns && (geom_col < 0 || (format(geom_col) != 'z' && format(geom_col) != 'Z'))) return false;
    if (by_columns && (x_col < 0 || y_col < 0 || (!arrow_numeric_format(format(x_col)) && !is_text(format(x_col))) ||
                       (!arrow_numeric_format(format(y_col)) && !is_text(format(y_col)))))
        return false;
    if ((id_index >= 0 && (id_col < 0 || (!is_text(format(id_col)) && !arrow_numeric_format(format(id_col))))) ||
        (category_index >= 0 && (category_col < 0 || !is_text(format(category_col)))))
        return false;
    for (int c : value_cols)
        if (c < 0 || (!arrow_numeric_format(format(c)) && !is_text(format(c)))) return false;

    std::string scratch;
    while (true) {
        ArrowArrayOwner batch;
        if (stream.stream.get_next(&stream.stream, &batch.array) != 0)
            throw std::runtime_error(std::string("GDAL Arrow stream failed: ") +
                                     (stream.stream.get_last_error ? stream.stream.get_last_error(&stream.stream) : ""));
        if (!batch.array.release) break;
        const ArrowArray* const* cols = batch.array.children;
        for (std::int64_t row = 0; row < batch.array.length; ++row) {
            const std::int64_t fid = static_cast<std::int64_t>(arrow_number(cols[fid_col], 'l', row));
            sink.begin_row();
            try {
            double x = 0, y = 0;
            if (by_columns) {
                if (!arrow_valid(cols[x_col], row) || !arrow_valid(cols[y_col], row)) {
                    ++sink.out.without_geometry;
                    continue;
                }
                auto coordinate = [&](int col, int field) {
                    if (!is_text(format(col))) return arrow_number(cols[col], format(col), row);
                    scratch.assign(arrow_bytes(cols[col], format(col), row));
                    return number_in(field, fid, scratch.c_str());
                };
                x = coordinate(x_col, x_index);
                y = coordinate(y_col, y_index);
            } else if (!arrow_valid(cols[geom_col], row) ||
                       !wkb_point(arrow_bytes(cols[geom_col], format(geom_col), row), x, y)) {
                ++sink.out.without_geometry;
                continue;
            }
            sink.point(x, y, fid);
            if (id_col >= 0) {
                if (!arrow_valid(cols[id_col], row)) sink.id({});
                else if (is_text(format(id_col))) sink.id(arrow_bytes(cols[id_col], format(id_col), row));
                else sink.id(std::to_string(static_cast<long long>(arrow_number(cols[id_col], format(id_col), row))));
            }
            for (std::size_t v = 0; v < value_cols.size(); ++v) {
                const ArrowArray* a = cols[value_cols[v]];
                const char f = format(value_cols[v]);
                if (!arrow_valid(a, row)) {
                    sink.null_value(v);
                } else if (is_text(f)) {
                    scratch.assign(arrow_bytes(a, f, row));
                    sink.value(v, number_in(value_index[v], fid, scratch.c_str()));
                } else {
                    sink.value(v, arrow_number(a, f, row));
                }
            }
            // Last: a category is only interned for a row that is kept.
            if (category_col >= 0) {
                if (!arrow_valid(cols[category_col], row)) {
                    sink.category(nullptr);
                } else {
                    scratch.assign(arrow_bytes(cols[category_col], format(category_col), row));
                    sink.category(scratch.c_str());
                }
            }
            } catch (const InputError& e) {
                if (!problems) throw;
                sink.abandon_row();
                problems->record(e, sink.bad_value.empty() ? scratch : sink.bad_value);
            }
        }
    }
    return true;
}

/// Fills `sink` feature by feature through OGR: any source GDAL reads (CSV, shapefile,
/// GeoJSON, a filtered GeoPackage); polygons and lines give their point on surface.
template <typename NumberIn>
void read_points_by_feature(OGRLayer& layer, int id_index, int category_index, const std::vector<int>& value_index,
                            int x_index, int y_index, RowSink& sink, NumberIn number_in, const LayerSource& source,
                            GDALProgressFunc progress, void* progress_data) {
    PointSet& out = sink.out;
    const bool by_columns = x_index >= 0;
    const GIntBig expected = layer.GetFeatureCount(FALSE);
    std::size_t done = 0;
    layer.ResetReading();
    CPLErrorReset();
    for (auto& feature : layer) {
        sink.begin_row();
        try {
        double x = 0, y = 0;
        if (by_columns) {
            if (!feature->IsFieldSetAndNotNull(x_index) || !feature->IsFieldSetAndNotNull(y_index)) {
                ++out.without_geometry;
                continue;
            }
            auto coordinate = [&](int field) {
                return feature->GetFieldDefnRef(field)->GetType() == OFTString
                           ? number_in(field, feature->GetFID(), feature->GetFieldAsString(field))
                           : feature->GetFieldAsDouble(field);
            };
            x = coordinate(x_index);
            y = coordinate(y_index);
        } else if (!point_on_feature(feature->GetGeometryRef(), x, y)) {
            ++out.without_geometry;
            continue;
        }
        sink.point(x, y, feature->GetFID());
        if (id_index >= 0) sink.id(feature->GetFieldAsString(id_index));
        for (std::size_t v = 0; v < value_index.size(); ++v) {
            const int i = value_index[v];
            if (!feature->IsFieldSetAndNotNull(i)) sink.null_value(v);
            else if (feature->GetFieldDefnRef(i)->GetType() == OFTString)
                sink.value(v, number_in(i, feature->GetFID(), feature->GetFieldAsString(i)));
            else sink.value(v, feature->GetFieldAsDouble(i));
        }
        if (category_index >= 0)
            sink.category(feature->IsFieldSetAndNotNull(category_index) ? feature->GetFieldAsString(category_index)
                                                                        : nullptr);
        } catch (const InputError& e) {
            if (!source.problems) throw;
            sink.abandon_row();
            const int field = feature->GetFieldIndex(e.where().field.c_str());
            source.problems->record(e, !sink.bad_value.empty() ? sink.bad_value
                                       : field >= 0           ? std::string(feature->GetFieldAsString(field))
                                                              : std::string());
        }
        if (progress && expected > 0 && (++done & 0xFFFF) == 0)
            progress(0.9 * static_cast<double>(done) / static_cast<double>(expected), "reading points", progress_data);
    }
    fail_on_read_error(source.path, layer.GetName(), static_cast<std::int64_t>(out.size() + out.without_geometry));
}

// ---- PostGIS fast path: the rows as COPY ... TO STDOUT in binary (coordinates as float8,
// the other columns as text), one pass, instead of GDAL's feature-by-feature cursor.

bool dataset_is_postgis(GDALDataset& ds) {
    return ds.GetDriver() && EQUAL(ds.GetDriver()->GetDescription(), "PostgreSQL");
}

struct PgConnectionCloser {
    void operator()(PGconn* c) const { PQfinish(c); }
};

std::uint32_t read_be32(const char* p) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

/// The coordinates of a 2D point in (E)WKB of either byte order; false for anything else
/// (an empty point, another type).
bool ewkb_point(std::string_view wkb, double& x, double& y) {
    if (wkb.size() < 21) return false;
    const bool little = wkb[0] == 1;
    auto u32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(wkb[at + (little ? i : 3 - i)])) << (8 * i);
        return v;
    };
    auto f64 = [&](std::size_t at) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(wkb[at + (little ? i : 7 - i)])) << (8 * i);
        double d;
        std::memcpy(&d, &v, 8);
        return d;
    };
    const std::uint32_t type = u32(1);
    std::size_t at = 5 + ((type & 0x20000000u) ? 4 : 0);  // EWKB's SRID
    if ((type & 0x0fffffffu) != 1 || wkb.size() < at + 16) return false;
    x = f64(at);
    y = f64(at + 8);
    return std::isfinite(x) && std::isfinite(y);
}

/// "schema.table" as OGR names a PostGIS layer, quoted for SQL; nothing when a name part
/// cannot be quoted.
std::optional<std::string> quoted_table(PGconn* c, const std::string& name) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        const std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        char* q = PQescapeIdentifier(c, part.c_str(), part.size());
        if (!q) return std::nullopt;
        out += (out.empty() ? "" : ".") + std::string(q);
        PQfreemem(q);
        if (dot == std::string::npos) return out;
        start = dot + 1;
    }
}

/// Fills `sink` through libpq; false (nothing read) when this path does not apply: a
/// connection string libpq does not take (OGR's own options), a layer that is a query,
/// geometries that are not points.
template <typename NumberIn>
bool read_points_postgis(const LayerSource& source, OGRLayer& layer, int id_index, int category_index,
                         const std::vector<int>& value_index, RowSink& sink, NumberIn number_in) {
    std::unique_ptr<PGconn, PgConnectionCloser> conn(PQconnectdb(source.path.substr(3).c_str()));
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK) return false;
    const auto table = quoted_table(conn.get(), layer.GetName());
    if (!table) return false;
    auto column = [&](const char* name) -> std::string {
        char* q = PQescapeIdentifier(conn.get(), name, std::strlen(name));
        std::string out = q ? q : "";
        PQfreemem(q);
        return out;
    };
    const std::string geometry = column(layer.GetGeometryColumn());
    const std::string fid = layer.GetFIDColumn() && *layer.GetFIDColumn() ? column(layer.GetFIDColumn()) : "";
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    // The geometry as PostGIS sends it in binary: EWKB, decoded here (no ST_X/ST_Y per row).
    std::string sql = "COPY (SELECT " + (fid.empty() ? std::string("row_number() OVER ()") : fid) + "::int8, " + geometry;
    std::vector<int> text_columns;
    if (id_index >= 0) text_columns.push_back(id_index);
    for (int v : value_index) text_columns.push_back(v);
    if (category_index >= 0) text_columns.push_back(category_index);
    for (int i : text_columns) sql += ", " + column(defn->GetFieldDefn(i)->GetNameRef()) + "::text";
    // The table's own order, as GDAL's cursor reads it (no sort: source_row carries the fid).
    sql += " FROM " + *table + ") TO STDOUT (FORMAT binary)";
    PGresult* started = PQexec(conn.get(), sql.c_str());
    const bool copying = PQresultStatus(started) == PGRES_COPY_OUT;
    PQclear(started);
    if (!copying) return false;

    PointSet& out = sink.out;
    bool header = true;
    const std::size_t texts = text_columns.size();
    std::vector<std::string_view> values(texts);  // the row's text columns, reused row to row
    std::vector<bool> present(texts);
    const InputLocation at_layer{source.path, layer.GetName(), {}, {}};  // describe() hides the password
    while (true) {
        char* buffer = nullptr;
        const int n = PQgetCopyData(conn.get(), &buffer, 0);
        if (n == -1) break;  // done
        if (n < 0) throw InputError(at_layer, "reading from PostGIS failed: " + std::string(PQerrorMessage(conn.get())));
        std::unique_ptr<char, decltype(&PQfreemem)> owned(buffer, &PQfreemem);
        const char* p = buffer;
        const char* end = buffer + n;
        if (header) {  // "PGCOPY\n\377\r\n\0", flags, extension length and the extension
            if (n < 19) throw InputError(at_layer, "PostGIS sent a short COPY header");
            p += 11 + 4;
            p += 4 + read_be32(p);
            header = false;
            if (p >= end) continue;
        }
        if (end - p >= 2 && static_cast<unsigned char>(p[0]) == 0xff && static_cast<unsigned char>(p[1]) == 0xff) continue;
        p += 2;  // field count
        auto field = [&](std::string_view& bytes) {
            const std::uint32_t length = read_be32(p);
            p += 4;
            if (length == 0xffffffffu) return false;
            bytes = std::string_view(p, length);
            p += length;
            return true;
        };
        std::string_view f_fid, f_geometry;
        field(f_fid);
        double x = 0, y = 0;
        const bool has_point = field(f_geometry) && ewkb_point(f_geometry, x, y);
        std::int64_t row = 0;
        for (char c : f_fid.substr(0, 8)) row = (row << 8) | static_cast<unsigned char>(c);
        sink.begin_row();
        for (std::size_t k = 0; k < texts; ++k) present[k] = field(values[k]);
        if (!has_point) {
            ++out.without_geometry;
            continue;
        }
        sink.point(x, y, row);
        std::size_t k = 0;
        if (id_index >= 0) {
            sink.id(present[k] ? values[k] : std::string_view());
            ++k;
        }
        for (std::size_t v = 0; v < value_index.size(); ++v, ++k) {
            if (!present[k]) sink.null_value(v);
            else sink.value(v, number_in(value_index[v], row, std::string(values[k]).c_str()));
        }
        if (category_index >= 0) sink.category(present[k] ? std::string(values[k]).c_str() : nullptr);
    }
    PGresult* finished = PQgetResult(conn.get());
    const bool ok = PQresultStatus(finished) == PGRES_COMMAND_OK;
    const std::string error = ok ? "" : PQresultErrorMessage(finished);
    PQclear(finished);
    if (!ok) throw InputError(at_layer, "reading from PostGIS failed: " + error);
    return true;
}

/// A `unique_id_name` id (a UPRN) names one row: InputError naming both rows, or under
/// --skip-invalid the later rows are left out and recorded.
void refuse_duplicate_ids(PointSet& out, const std::string& unique_id_name, const LayerSource& source,
                          const std::string& layer_name, const std::string& id_header,
                          const std::vector<std::pair<std::size_t, std::size_t>>& null_positions) {
    const std::vector<KeyRepeat> repeats = repeated_keys(out.ids);
    if (repeats.empty()) return;
    std::vector<bool> repeated(out.size(), false);
    for (const KeyRepeat& r : repeats) {
        const InputError e({source.path, layer_name, out.source_row[r.later], id_header},
                           "duplicate " + unique_id_name + " '" + out.ids[r.later] + "' (first at feature " +
                               std::to_string(out.source_row[r.first]) + "); each value must name one row");
        if (!source.problems) throw e;
        source.problems->record(e, out.ids[r.later]);
        repeated[r.later] = true;
    }
    drop_points(out, repeated, null_positions);
}

/// Every point into the working CRS, in batches (one PROJ call per batch). A point that
/// cannot be transformed is an InputError naming its row, or under --skip-invalid is
/// left out and recorded.
void transform_points(PointSet& out, OGRCoordinateTransformation& transform, const OGRSpatialReference& source_crs,
                      const OGRSpatialReference& working_crs, const LayerSource& source, const std::string& layer_name,
                      const std::vector<std::pair<std::size_t, std::size_t>>& null_positions) {
    std::vector<bool> untransformed;
    for (std::size_t start = 0; start < out.size(); start += kTransformBatch) {
        const std::size_t n = std::min(kTransformBatch, out.size() - start);
        std::vector<int> ok(n, FALSE);
        transform.Transform(n, out.x.data() + start, out.y.data() + start, nullptr, ok.data());
        for (std::size_t k = 0; k < n; ++k) {
            if (ok[k]) continue;
            const InputError e({source.path, layer_name, out.source_row[start + k], {}},
                               "coordinates cannot be transformed from " + crs_label(source_crs) + " to " +
                                   crs_label(working_crs));
            if (!source.problems) throw e;
            source.problems->record(e);
            untransformed.resize(out.size(), false);
            untransformed[start + k] = true;
        }
    }
    if (!untransformed.empty()) drop_points(out, untransformed, null_positions);
    if (out.size() == 0)
        throw InputError({source.path, layer_name, {}, {}}, "no valid points: every row was skipped as invalid");
}

/// Category ids in sorted order of their names, so output columns do not depend on the
/// order of the rows.
void number_categories_in_order(PointSet& out, const std::map<std::string, std::int32_t>& category_ids) {
    std::vector<std::int32_t> remap(category_ids.size());
    std::int32_t next = 0;
    for (const auto& [name, id] : category_ids) {
        remap[id] = next++;
        out.category_names.push_back(name);
    }
    for (auto& c : out.category)
        if (c >= 0) c = remap[c];
}

}  // namespace

PointSet read_point_set(const LayerSource& source, const OGRSpatialReference& working_crs,
                        const PointSetRequest& request, GDALProgressFunc progress, void* progress_data) {
    GDALDatasetUniquePtr ds = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*ds, source.path, source.layer);
    const InputLocation at_layer{source.path, layer.GetName(), {}, {}};
    const bool by_columns = !request.x_field.empty();
    if (!by_columns && layer.GetGeomType() == wkbNone) throw InputError(at_layer, "has no geometry; expected points");

    OGRSpatialReference source_crs;
    if (by_columns) source_crs = parse_crs(request.coordinate_crs);
    else if (const OGRSpatialReference* declared = layer.GetSpatialRef()) source_crs = with_gis_axis_order(*declared);
    if (!source.assume_crs.empty()) {
        const OGRSpatialReference assumed = parse_crs(source.assume_crs);
        if (!by_columns && !source_crs.IsEmpty() && !same_crs(source_crs, assumed))
            throw InputError(at_layer, "mixed CRSs: the source declares " + crs_label(source_crs) +
                                           " but --assume-crs says " + crs_label(assumed));
        source_crs = assumed;
    }
    if (source_crs.IsEmpty())
        throw InputError(at_layer, "has no CRS; say which it is with --assume-crs EPSG:27700");
    CoordinateTransform transform = make_transform(source_crs, working_crs);

    const int category_index = request.category_field.empty() ? -1 : require_field(layer, source, request.category_field);
    const int id_index = request.id_field.empty() ? -1 : require_field(layer, source, request.id_field);
    FieldType id_type = FieldType::String;
    if (id_index >= 0) {
        const OGRFieldType t = layer.GetLayerDefn()->GetFieldDefn(id_index)->GetType();
        id_type = t == OFTInteger || t == OFTInteger64 ? FieldType::Integer : t == OFTReal ? FieldType::Real : FieldType::String;
    }
    std::vector<int> value_index;
    for (const auto& f : request.value_fields) {
        const int i = require_field(layer, source, f);
        const OGRFieldType t = layer.GetLayerDefn()->GetFieldDefn(i)->GetType();
        if (t != OFTInteger && t != OFTInteger64 && t != OFTReal && t != OFTString)
            throw InputError({source.path, layer.GetName(), {}, f}, "expected a numeric field");
        value_index.push_back(i);
    }
    const int x_index = by_columns ? require_field(layer, source, request.x_field) : -1;
    const int y_index = by_columns ? require_field(layer, source, request.y_field) : -1;
    // Decode only the columns asked for (and those a filter needs): reading is the main cost.
    if (source.where.empty()) {
        CPLStringList ignored;
        OGRFeatureDefn* defn = layer.GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (i != category_index && i != id_index && i != x_index && i != y_index &&
                std::find(value_index.begin(), value_index.end(), i) == value_index.end())
                ignored.AddString(defn->GetFieldDefn(i)->GetNameRef());
        if (by_columns) ignored.AddString("OGR_GEOMETRY");
        if (layer.SetIgnoredFields(const_cast<const char**>(ignored.List())) != OGRERR_NONE)
            throw InputError(at_layer, "GDAL cannot leave out the columns not asked for: " + std::string(CPLGetLastErrorMsg()));
    }
    apply_where(layer, source);

    PointSet out;
    out.id_type = id_type;
    out.values.resize(value_index.size());
    out.null_counts.assign(value_index.size(), 0);
    std::map<std::string, std::int32_t> category_ids;
    std::vector<std::string> raw_categories;
    const GIntBig expected = layer.GetFeatureCount(FALSE);
    if (expected > 0) {
        out.x.reserve(expected);
        out.y.reserve(expected);
        out.source_row.reserve(expected);
    }

    // One reading of a number held as text (values and coordinates, both reading paths);
    // the error names the row and the layer's field.
    auto number_in = [&](int field, std::int64_t fid, const char* text) {
        const auto value = parse_published_number(text);
        if (!value)
            throw InputError({source.path, layer.GetName(), fid, layer.GetLayerDefn()->GetFieldDefn(field)->GetNameRef()},
                             std::string("expected a number, found '") + text + "'");
        return *value;
    };
    if (!request.value_rules.empty() && request.value_rules.size() != request.value_fields.size())
        throw std::logic_error("read_point_set: value_rules must be parallel to value_fields");
    RowSink sink{out, category_ids, raw_categories};
    for (std::size_t v = 0; v < request.value_rules.size(); ++v)
        sink.rules.push_back({&request.value_rules[v], source.path, layer.GetName(),
                              layer.GetLayerDefn()->GetFieldDefn(value_index[v])->GetNameRef()});
    sink.track_nulls = source.problems != nullptr;

    const bool fast = (dataset_is_geopackage(*ds) && source.where.empty() &&
                       (by_columns || wkbFlatten(layer.GetGeomType()) == wkbPoint) &&
                       read_points_arrow(layer, id_index, category_index, value_index, x_index, y_index, sink, number_in,
                                         source.problems)) ||
                      (dataset_is_postgis(*ds) && source.where.empty() && !by_columns && !source.problems &&
                       wkbFlatten(layer.GetGeomType()) == wkbPoint &&
                       read_points_postgis(source, layer, id_index, category_index, value_index, sink, number_in));
    if (!fast)
        read_points_by_feature(layer, id_index, category_index, value_index, x_index, y_index, sink, number_in, source,
                               progress, progress_data);
    if (out.size() == 0)
        throw InputError(at_layer, out.without_geometry ? "no feature has a geometry" : "layer is empty: no points to read");
    if (!request.unique_id_name.empty() && id_index >= 0)
        refuse_duplicate_ids(out, request.unique_id_name, source, layer.GetName(),
                             layer.GetLayerDefn()->GetFieldDefn(id_index)->GetNameRef(), sink.null_positions);

    if (transform) transform_points(out, *transform, source_crs, working_crs, source, layer.GetName(), sink.null_positions);

    if (category_index >= 0) number_categories_in_order(out, category_ids);
    if (progress) progress(1.0, "points read", progress_data);
    return out;
}

}  // namespace hearth
