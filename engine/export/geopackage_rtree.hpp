#pragma once
// Fills an empty GeoPackage R-tree (an SQLite R*Tree virtual table) in one pass, by
// packing its nodes (Sort-Tile-Recursive, Leutenegger, Lopez & Edgington 1997) and
// writing the virtual table's three shadow tables (_node, _rowid, _parent) directly.
//
// Why by hand: SQLite inserts into an R*Tree one entry at a time (choose a leaf, split,
// reinsert): 15-20 s per million rows on this machine, whether through GDAL's triggers
// or in bulk afterwards. GDAL bulk-loads since 3.7 (its sqlite_rtree_bulk_load); Debian
// 12 has 3.6. The layout is SQLite's documented R*Tree file format (ext/rtree/rtree.c,
// "Database Format of R-Tree Tables"); the entries are rounded to 32-bit floats exactly
// as SQLite rounds them, so the index is the one the triggers would give, node order
// aside. The tests check it with SQLite's own rtreecheck(), GDAL's GeoPackage validator
// and window queries against a scan.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sqlite3.h>

namespace hearth {

/// One row's bounding box, in the table's CRS, as the R-tree's id/minx/maxx/miny/maxy.
struct RtreeEntry {
    std::int64_t id = 0;
    double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};

/// An R*Tree packed in memory, ready to be written: node blobs in SQLite's format
/// (node 1 the root), each row's leaf and each inner node's parent.
struct PackedRtree {
    std::size_t node_size = 0;
    std::vector<std::pair<std::int64_t, std::vector<unsigned char>>> nodes;
    std::vector<std::pair<std::int64_t, std::int64_t>> leaf_of;    ///< row id -> leaf, by row id
    std::vector<std::pair<std::int64_t, std::int64_t>> parent_of;  ///< node -> parent
};

/// The node size (bytes) of the empty R*Tree `rtree`; OutputError naming `out` and the
/// table when it has entries already.
std::size_t empty_rtree_node_size(sqlite3* db, const std::filesystem::path& out, const std::string& rtree);

/// Packs `entries` (Sort-Tile-Recursive, every node full but the last of each level).
/// Pure: it touches no database, so it can run while the rows are being written.
PackedRtree pack_rtree(std::vector<RtreeEntry> entries, std::size_t node_size);

/// Writes a packed tree into the empty `rtree` (within the caller's transaction, if
/// any). OutputError naming `out` and the table when SQLite refuses a write.
void write_rtree(sqlite3* db, const std::filesystem::path& out, const std::string& rtree, const PackedRtree& tree);

/// The three steps at once.
void bulk_load_rtree(sqlite3* db, const std::filesystem::path& out, const std::string& rtree,
                     std::vector<RtreeEntry> entries);

namespace detail {
/// SQLite's rounding of an R-tree bound to a 32-bit float: a minimum never above the
/// value, a maximum never below it (rtree.c rtreeValueDown/rtreeValueUp).
float rtree_value_down(double d);
float rtree_value_up(double d);
}  // namespace detail

}  // namespace hearth
