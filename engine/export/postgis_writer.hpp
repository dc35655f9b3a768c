#pragma once
// Writes layers into a PostGIS database a team shares, as QGIS users expect to find them:
// each a table in `schema` with a primary key (fid), the geometry column `geom` typed with
// its SRID, a GiST index, comments from the layer and field descriptions, the same field
// names and types as the GeoPackage output, and its default style in public.layer_styles
// (the table QGIS reads styles from; created if missing).
//
// All or nothing: one transaction for the whole run, committed at the end. A failure, a
// Ctrl-C or a killed process leaves the schema as it was (the server rolls back an
// unfinished transaction when its connection goes). An existing table is an error unless
// `overwrite`. Runs writing into one schema take a transaction-scoped advisory lock, so
// two runs at once both succeed, one after the other. Rows go through COPY (binary
// format, geometries as EWKB), not one INSERT each.
//
// Credentials come from the connection string, the PG* environment variables, a service
// file or ~/.pgpass, as libpq reads them; no password appears in a message.

#include <string>
#include <vector>

#include <gdal.h>

#include "hearth/export/geopackage_writer.hpp"

namespace hearth {

struct PostgisTarget {
    std::string connection;       ///< libpq connection string or URI (the text after "PG:")
    std::string schema = "hearth";
    bool overwrite = false;
};

/// True for an output named "PG:...".
bool is_postgis_output(const std::string& out);

/// The target of "PG:<connection>"; std::invalid_argument when it names no connection.
PostgisTarget postgis_target(const std::string& out, const std::string& schema, bool overwrite);

/// Writes every layer in one transaction. OutputError naming the server (never the
/// password), the schema and the table, for: a server not reachable, authentication
/// failed, no PostGIS extension, a schema that cannot be written, a table that exists.
void write_postgis(const PostgisTarget& target, const std::vector<StyledLayer>& layers,
                   GDALProgressFunc progress = nullptr, void* progress_data = nullptr);

}  // namespace hearth
