#include "hearth/export/geopackage_rtree.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

#include "hearth/core/errors.hpp"

namespace hearth {

namespace detail {

// rtree.c: RNDTOWARDS and RNDAWAY, one unit in the last place of a float's mantissa.
constexpr double kTowards = 1.0 - 1.0 / 8388608.0;
constexpr double kAway = 1.0 + 1.0 / 8388608.0;

float rtree_value_down(double d) {
    auto f = static_cast<float>(d);
    if (f > d) f = static_cast<float>(d * (d < 0 ? kAway : kTowards));
    return f;
}

float rtree_value_up(double d) {
    auto f = static_cast<float>(d);
    if (f < d) f = static_cast<float>(d * (d < 0 ? kTowards : kAway));
    return f;
}

}  // namespace detail

namespace {

struct FinalizeStatement {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

/// A cell of an R*Tree node: a row id (leaves) or a child node number, and its box.
struct Cell {
    std::int64_t id;
    float min_x, max_x, min_y, max_y;
    float centre_x() const { return min_x / 2 + max_x / 2; }
    float centre_y() const { return min_y / 2 + max_y / 2; }
};

constexpr int kBytesPerCell = 8 + 4 * 4;  // rowid, then min and max of two dimensions
constexpr std::size_t kRowsPerStatement = 512;

class ShadowTables {
public:
    ShadowTables(sqlite3* db, const std::filesystem::path& out, const std::string& rtree)
        : db_(db), out_(out), rtree_(rtree) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw OutputError(out_.string() + ": R-tree '" + rtree_ + "': " + what + " (SQLite: " + sqlite3_errmsg(db_) + ")");
    }

    std::string table(const char* suffix) const {
        std::string q = "\"";
        for (char c : rtree_ + suffix) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    }

    Statement prepare(const std::string& sql) const {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail("cannot prepare " + sql);
        return Statement(s);
    }

    void ok(int rc, const char* what) const {
        if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) fail(what);
    }

    sqlite3* db() const { return db_; }

private:
    sqlite3* db_;
    std::filesystem::path out_;
    std::string rtree_;
};

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}

void put_i64(unsigned char* p, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int k = 0; k < 8; ++k) p[k] = static_cast<unsigned char>(u >> (56 - 8 * k));
}

void put_f32(unsigned char* p, float v) {
    const auto u = std::bit_cast<std::uint32_t>(v);
    for (int k = 0; k < 4; ++k) p[k] = static_cast<unsigned char>(u >> (24 - 8 * k));
}

/// Reorders [first, last) so that each run of `chunk` cells holds the cells a full sort by
/// `less` would put there (their order within a run left as it falls): nth_element at
/// the run boundaries, O(n log runs) instead of a sort's O(n log n).
template <class Less>
void partition_into_runs(std::vector<Cell>::iterator first, std::vector<Cell>::iterator last, std::size_t chunk,
                         Less less) {
    const auto n = static_cast<std::size_t>(last - first);
    if (n <= chunk) return;
    const std::size_t runs = (n + chunk - 1) / chunk;
    const auto middle = first + static_cast<std::ptrdiff_t>((runs / 2) * chunk);
    std::nth_element(first, middle, last, less);
    partition_into_runs(first, middle, chunk, less);
    partition_into_runs(middle, last, chunk, less);
}

/// Sort-Tile-Recursive order: ceil(sqrt(P)) vertical slices of whole nodes by x, each cut
/// by y into nodes, so consecutive runs of `capacity` cells are compact tiles.
void sort_tile_recursive(std::vector<Cell>& cells, std::size_t capacity) {
    const std::size_t nodes = (cells.size() + capacity - 1) / capacity;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    const std::size_t per_slice = slices * capacity;
    const auto by_x = [](const Cell& a, const Cell& b) { return a.centre_x() < b.centre_x(); };
    const auto by_y = [](const Cell& a, const Cell& b) { return a.centre_y() < b.centre_y(); };
    partition_into_runs(cells.begin(), cells.end(), per_slice, by_x);
    for (std::size_t start = 0; start < cells.size(); start += per_slice) {
        const auto end = cells.begin() + static_cast<std::ptrdiff_t>(std::min(cells.size(), start + per_slice));
        partition_into_runs(cells.begin() + static_cast<std::ptrdiff_t>(start), end, capacity, by_y);
    }
}

/// Multi-row INSERTs of (key, value) integer pairs into a shadow table.
class PairWriter {
public:
    PairWriter(const ShadowTables& t, const std::string& table, const char* key, const char* value)
        : t_(t), head_("INSERT INTO " + table + " (" + key + ", " + value + ") VALUES "),
          full_(t_.prepare(sql(kRowsPerStatement))) {}
    void add(std::int64_t key, std::int64_t value) {
        pending_.emplace_back(key, value);
        if (pending_.size() == kRowsPerStatement) flush();
    }
    void flush() {
        if (pending_.empty()) return;
        Statement partial;
        sqlite3_stmt* s = full_.get();
        if (pending_.size() < kRowsPerStatement) {
            partial = t_.prepare(sql(pending_.size()));
            s = partial.get();
        }
        int at = 1;
        for (const auto& [k, v] : pending_) {
            t_.ok(sqlite3_bind_int64(s, at++, k), "cannot bind a key");
            t_.ok(sqlite3_bind_int64(s, at++, v), "cannot bind a value");
        }
        if (sqlite3_step(s) != SQLITE_DONE) t_.fail("cannot write index rows");
        sqlite3_reset(s);
        pending_.clear();
    }

private:
    std::string sql(std::size_t rows) const {
        std::string s = head_;
        for (std::size_t r = 0; r < rows; ++r) s += r ? ", (?, ?)" : "(?, ?)";
        return s;
    }

    const ShadowTables& t_;
    std::string head_;
    Statement full_;
    std::vector<std::pair<std::int64_t, std::int64_t>> pending_;
};

}  // namespace

std::size_t empty_rtree_node_size(sqlite3* db, const std::filesystem::path& out, const std::string& rtree) {
    ShadowTables t(db, out, rtree);
    // SQLite reads the node size of an existing tree from the root's length; the empty
    // root the CREATE VIRTUAL TABLE wrote has it.
    std::size_t node_size = 0;
    {
        Statement s = t.prepare("SELECT length(data), data FROM " + t.table("_node") + " WHERE nodeno = 1");
        if (sqlite3_step(s.get()) != SQLITE_ROW) t.fail("has no root node");
        node_size = static_cast<std::size_t>(sqlite3_column_int(s.get(), 0));
        const auto* root = static_cast<const unsigned char*>(sqlite3_column_blob(s.get(), 1));
        if (node_size < 4 + kBytesPerCell || !root || root[2] != 0 || root[3] != 0) t.fail("is not empty");
    }
    Statement s = t.prepare("SELECT count(*) FROM " + t.table("_rowid"));
    if (sqlite3_step(s.get()) != SQLITE_ROW || sqlite3_column_int64(s.get(), 0) != 0) t.fail("is not empty");
    return node_size;
}

PackedRtree pack_rtree(std::vector<RtreeEntry> entries, std::size_t node_size) {
    PackedRtree tree;
    tree.node_size = node_size;
    if (entries.empty() || node_size < 4 + kBytesPerCell) return tree;
    const std::size_t capacity = (node_size - 4) / kBytesPerCell;

    std::vector<Cell> cells;
    cells.reserve(entries.size());
    for (const auto& e : entries)
        cells.push_back({e.id, detail::rtree_value_down(e.min_x), detail::rtree_value_up(e.max_x),
                         detail::rtree_value_down(e.min_y), detail::rtree_value_up(e.max_y)});
    entries = {};
    tree.leaf_of.reserve(cells.size());

    // One node holding cells [first, last); leaves map their row ids to it, inner nodes
    // their children. Returns the node's own cell for the level above.
    auto pack = [&](std::int64_t node, unsigned depth, bool leaf, const Cell* first, const Cell* last) {
        std::vector<unsigned char> blob(node_size, 0);
        put_u16(blob.data(), node == 1 ? depth : 0);  // only the root records the depth
        put_u16(blob.data() + 2, static_cast<unsigned>(last - first));
        Cell box{node, INFINITY, -INFINITY, INFINITY, -INFINITY};
        unsigned char* p = blob.data() + 4;
        for (const Cell* c = first; c != last; ++c, p += kBytesPerCell) {
            put_i64(p, c->id);
            put_f32(p + 8, c->min_x);
            put_f32(p + 12, c->max_x);
            put_f32(p + 16, c->min_y);
            put_f32(p + 20, c->max_y);
            box.min_x = std::min(box.min_x, c->min_x);
            box.max_x = std::max(box.max_x, c->max_x);
            box.min_y = std::min(box.min_y, c->min_y);
            box.max_y = std::max(box.max_y, c->max_y);
            (leaf ? tree.leaf_of : tree.parent_of).emplace_back(c->id, node);
        }
        tree.nodes.emplace_back(node, std::move(blob));
        return box;
    };

    // Levels from the leaves up, each packed full; the last (at most `capacity` cells) is
    // the root, node 1, whose depth is the number of levels below it.
    std::int64_t next_node = 2;
    unsigned depth = 0;
    while (cells.size() > capacity) {
        sort_tile_recursive(cells, capacity);
        std::vector<Cell> level;
        level.reserve(cells.size() / capacity + 1);
        for (std::size_t start = 0; start < cells.size(); start += capacity) {
            const std::size_t end = std::min(cells.size(), start + capacity);
            level.push_back(pack(next_node++, 0, depth == 0, cells.data() + start, cells.data() + end));
        }
        cells = std::move(level);
        ++depth;
    }
    pack(1, depth, depth == 0, cells.data(), cells.data() + cells.size());
    // SQLite appends to a B-tree several times faster than it inserts at random places.
    std::sort(tree.leaf_of.begin(), tree.leaf_of.end());
    return tree;
}

void write_rtree(sqlite3* db, const std::filesystem::path& out, const std::string& rtree, const PackedRtree& tree) {
    if (tree.nodes.empty()) return;
    ShadowTables t(db, out, rtree);
    t.ok(sqlite3_exec(db, ("DELETE FROM " + t.table("_node")).c_str(), nullptr, nullptr, nullptr), "cannot clear the root");
    Statement write_node = t.prepare("INSERT INTO " + t.table("_node") + " (nodeno, data) VALUES (?, ?)");
    for (const auto& [node, blob] : tree.nodes) {
        if (blob.size() != tree.node_size) throw std::logic_error("write_rtree: a node of the wrong size");
        t.ok(sqlite3_bind_int64(write_node.get(), 1, node), "cannot bind a node number");
        t.ok(sqlite3_bind_blob(write_node.get(), 2, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC),
             "cannot bind a node");
        if (sqlite3_step(write_node.get()) != SQLITE_DONE) t.fail("cannot write node " + std::to_string(node));
        sqlite3_reset(write_node.get());
    }
    PairWriter parents(t, t.table("_parent"), "nodeno", "parentnode");
    for (const auto& [child, node] : tree.parent_of) parents.add(child, node);
    parents.flush();
    PairWriter rowids(t, t.table("_rowid"), "rowid", "nodeno");
    for (const auto& [row, leaf] : tree.leaf_of) rowids.add(row, leaf);
    rowids.flush();
}

void bulk_load_rtree(sqlite3* db, const std::filesystem::path& out, const std::string& rtree,
                     std::vector<RtreeEntry> entries) {
    const std::size_t node_size = empty_rtree_node_size(db, out, rtree);
    write_rtree(db, out, rtree, pack_rtree(std::move(entries), node_size));
}

}  // namespace hearth
