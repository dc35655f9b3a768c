// The command line tried as a hostile or careless user would: an output named like an
// input must never replace it.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "test_support.hpp"

using namespace hearth;
using hearth::test::read_text;
using hearth::test::run_hearth;
using hearth::test::TempDir;

namespace {

/// A copy of the sample study in a temporary folder, so a failed test cannot harm the real one.
struct SampleCopy {
    TempDir dir;
    std::filesystem::path study;
    SampleCopy() {
        std::filesystem::copy(test::kSampleStudy, dir / "hrw", std::filesystem::copy_options::recursive);
        study = dir / "hrw" / "study.yaml";
    }
    std::filesystem::path operator/(const std::string& relative) const { return dir / "hrw" / relative; }
};

void expect_refused_and_intact(const test::CommandResult& r, const std::filesystem::path& input, const std::string& before) {
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("is an input of this run"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(input), before) << input << " was changed";
}

}  // namespace

TEST(HostileInputTest, AnOutputNamedLikeAnInputIsRefusedAndTheInputKept) {
    SampleCopy s;
    const auto housing_csv = s / "housing/housing_stock_illustrative.csv";
    const auto lsoa21 = s / "boundaries/haringey_lsoa21.gpkg";
    const std::string housing_before = read_text(housing_csv), lsoa21_before = read_text(lsoa21);

    // export onto one of the study's own sources
    expect_refused_and_intact(run_hearth({"-q", "export", "--study", s.study.string(), "--out", lsoa21.string()}), lsoa21,
                              lsoa21_before);
    // access onto a boundary file, through a path with ./ in it
    const auto dotted = s.dir / "hrw" / "boundaries" / "." / "haringey_lsoa21.gpkg";
    expect_refused_and_intact(run_hearth({"-q", "access", "--study", s.study.string(), "--out", dotted.string()}), lsoa21,
                              lsoa21_before);
    // pockets writes <out>.csv beside its GeoPackage: here that is the housing stock file
    const auto beside = s / "housing/housing_stock_illustrative.gpkg";
    expect_refused_and_intact(run_hearth({"-q", "pockets", "--study", s.study.string(), "--out", beside.string()}),
                              housing_csv, housing_before);
    EXPECT_FALSE(std::filesystem::exists(beside)) << "neither output is written when one is refused";
    // count, nearest and interpolate onto their own inputs
    const auto exported = s.dir / "hrw.gpkg";
    ASSERT_TRUE(std::filesystem::copy_file(test::sample_export().gpkg, exported));  // the sample, exported once
    const std::string exported_before = read_text(exported);
    const std::string homes = exported.string() + "|layername=housing_stock";
    const std::string lsoas = exported.string() + "|layername=lsoa_deprivation";
    expect_refused_and_intact(run_hearth({"-q", "count", "--points", homes, "--areas", lsoas, "--area-id", "lsoa11cd",
                                          "--out", exported.string()}),
                              exported, exported_before);
    expect_refused_and_intact(run_hearth({"-q", "nearest", "--from", homes, "--to", lsoa21.string(), "--out", lsoa21.string()}),
                              lsoa21, lsoa21_before);
    expect_refused_and_intact(run_hearth({"-q", "interpolate", "--from", lsoas, "--field", "population_mid2015", "--to",
                                          lsoa21.string(), "--to-id", "LSOA21CD", "--out", dotted.string()}),
                              lsoa21, lsoa21_before);
}

TEST(HostileInputTest, AHardLinkToAnInputIsTheSameFile) {
    SampleCopy s;
    const auto lsoa21 = s / "boundaries/haringey_lsoa21.gpkg";
    const auto link = s.dir / "link.gpkg";
    std::filesystem::create_hard_link(lsoa21, link);
    const std::string before = read_text(lsoa21);
    expect_refused_and_intact(run_hearth({"-q", "export", "--study", s.study.string(), "--out", link.string()}), lsoa21,
                              before);
}

TEST(HostileInputTest, AWorkingCrsMustBeProjectedInMetres) {
    // EPSG:4326 gave distances in degrees labelled metres (every GP "within radius",
    // PTAL 69 everywhere); a CRS in feet would give feet.
    for (const char* crs : {"EPSG:4326", "EPSG:2249"}) {
        const auto r = run_hearth({"--crs", crs, "recipes"});
        EXPECT_EQ(r.exit_code, 2) << crs;
        EXPECT_NE(r.err.find("projected CRS in metres"), std::string::npos) << r.err;
    }
    const auto unknown = run_hearth({"--crs", "EPSG:XYZ", "recipes"});
    EXPECT_EQ(unknown.exit_code, 2) << "a bad option is a usage error, not an internal one: " << unknown.err;
    EXPECT_EQ(unknown.err.find("internal error"), std::string::npos) << unknown.err;

    SampleCopy s;
    std::string study = read_text(s.study);
    study.replace(study.find("crs: EPSG:27700"), 15, "crs: EPSG:4326");
    test::write_text(s.study, study);
    const auto r = run_hearth({"access", "--study", s.study.string(), "--out", (s.dir / "a.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("study.yaml: crs: working CRS 'EPSG:4326' is geographic"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(s.dir / "a.gpkg"));
}

TEST(HostileInputTest, ThreadCountsOutsideReasonAreUsageErrors) {
    for (const char* n : {"-1", "100000"}) EXPECT_EQ(run_hearth({"--threads", n, "recipes"}).exit_code, 2) << n;
    EXPECT_EQ(run_hearth({"--threads", "0", "-q", "recipes"}).exit_code, 0) << "0 is every core";
}

TEST(HostileInputTest, ATruncatedShapefileIsAnErrorNotAShortRead) {
    // With the .dbf cut in half, export kept 71 of 145 areas and exited 0; with the .shp
    // cut, 78 areas were kept with no geometry.
    for (const char* part : {"haringey_lsoa11.dbf", "haringey_lsoa11.shp"}) {
        SampleCopy s;
        const auto file = s / (std::string("boundaries/") + part);
        std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
        const auto out = s.dir / "hrw.gpkg";
        const auto r = run_hearth({"-q", "export", "--study", s.study.string(), "--out", out.string()});
        EXPECT_EQ(r.exit_code, 1) << part;
        EXPECT_NE(r.err.find("haringey_lsoa11.shp: layer 'haringey_lsoa11': GDAL could not read the layer whole"),
                  std::string::npos)
            << r.err;
        EXPECT_FALSE(std::filesystem::exists(out));
    }
}

TEST(HostileInputTest, AnUnclosedQuoteInACsvIsNamedWhereItOpened) {
    // It swallowed the rest of the file: 11 of 2,610 homes read, one landlord 169,464
    // characters long, exit 0.
    SampleCopy s;
    const auto csv = s / "housing/housing_stock_illustrative.csv";
    std::string text = read_text(csv);
    std::size_t at = 0;
    for (int line = 0; line < 12; ++line) at = text.find('\n', at) + 1;  // the 12th data row
    for (int column = 0; column < 4; ++column) at = text.find(',', at) + 1;  // its landlord (5th column)
    text.insert(at, "\"");  // a stray quote opening the landlord's name
    test::write_text(csv, text);
    const auto r = run_hearth({"-q", "export", "--study", s.study.string(), "--out", (s.dir / "e.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("housing_stock_illustrative.csv"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a quote opened in this row is not closed"), std::string::npos) << r.err;
    EXPECT_LT(r.err.size(), 400u) << "the runaway value is not echoed whole";
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line";
}

TEST(HostileInputTest, AssumeCrsServesEverySourceThatDeclaresNone) {
    // It was ignored for count --areas and nearest --to, and refused by interpolate.
    SampleCopy s;
    const auto exported = s.dir / "hrw.gpkg";
    ASSERT_TRUE(std::filesystem::copy_file(test::sample_export().gpkg, exported));  // the sample, exported once
    // The wards as a shapefile without its .prj and the homes as a CSV of X and Y: no CRS.
    const auto wards = s.dir / "wards.shp", homes = s.dir / "homes.csv";
    ASSERT_EQ(test::run_shell("ogr2ogr " + wards.string() + " " + exported.string() + " wards && rm " +
                              (s.dir / "wards.prj").string())
                  .exit_code,
              0);
    ASSERT_EQ(test::run_shell("ogr2ogr -f CSV -lco GEOMETRY=AS_XY " + homes.string() + " " + exported.string() + " housing_stock")
                  .exit_code,
              0);
    const std::string homes_layer = homes.string();
    auto r = run_hearth({"-q", "count", "--points", homes_layer, "--areas", wards.string(), "--area-id", "ward_code",
                         "--out", (s.dir / "c.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1) << "without --assume-crs a source with no CRS is named";
    EXPECT_NE(r.err.find("has no CRS"), std::string::npos) << r.err;
    r = run_hearth({"-q", "--crs", "EPSG:27700", "count", "--points", homes_layer, "--areas", wards.string(), "--area-id",
                    "ward_code", "--assume-crs", "EPSG:27700", "--out", (s.dir / "c.gpkg").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run_hearth({"-q", "nearest", "--from", homes_layer, "--to", wards.string(), "--assume-crs", "EPSG:27700", "--out",
                    (s.dir / "n.gpkg").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run_hearth({"-q", "interpolate", "--from", exported.string() + "|layername=lsoa_deprivation", "--field",
                    "population_mid2015", "--to", wards.string(), "--to-id", "ward_code", "--assume-crs", "EPSG:27700",
                    "--out", (s.dir / "i.gpkg").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // A CRS option PROJ does not know is a usage error naming the option.
    r = run_hearth({"count", "--points", homes_layer, "--areas", wards.string(), "--area-id", "ward_code", "--assume-crs",
                    "EPSG:nope", "--out", (s.dir / "x.gpkg").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--assume-crs: 'EPSG:nope'"), std::string::npos) << r.err;
    r = run_hearth({"ptal", "--study", s.study.string(), "--at", "534000,191000", "--at-crs", "EPSG:nope"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--at-crs"), std::string::npos) << r.err;
}

TEST(HostileInputTest, AStoppedRunLeavesNoTemporaryAndTheNextRunSweepsThoseOfDeadRuns) {
    SampleCopy s;
    const auto out = s.dir / "out" / "hrw.gpkg";
    std::filesystem::create_directories(out.parent_path());
    // A temporary (and journal) of a run that no longer exists.
    const auto stale = out.parent_path() / ".hrw.partial-999999999.gpkg";
    test::write_text(stale, "half a GeoPackage");
    test::write_text(stale.string() + "-journal", "x");
    ASSERT_EQ(run_hearth({"-q", "export", "--study", s.study.string(), "--out", out.string()}).exit_code, 0);
    EXPECT_FALSE(std::filesystem::exists(stale));
    EXPECT_EQ(test::files_in(out.parent_path()).size(), 1u) << "only the output itself";

    // SIGTERM while the GeoPackage is being written: exit 143, no temporary left behind.
    const auto again = s.dir / "out" / "again.gpkg";
    const std::string run = "cd " + s.dir.path().string() + " && { " + test::kBinary + " --layers " + test::kLayers.string() + " -q export --study " + s.study.string() +
                            " --out " + again.string() + " & pid=$!; " +
                            "for i in $(seq 1 20000); do ls -a out | grep -q '^.again.partial' && break; done; " +
                            "kill -TERM $pid; wait $pid; echo exit=$?; }";
    const auto r = test::run_shell(run);
    if (r.out.find("exit=0") != std::string::npos) GTEST_SKIP() << "the export finished before the signal";
    EXPECT_NE(r.out.find("exit=143"), std::string::npos) << r.out;
    for (const auto& f : test::files_in(out.parent_path()))
        EXPECT_EQ(f.filename().string().find(".again.partial"), std::string::npos) << f;
    EXPECT_FALSE(std::filesystem::exists(again));
}

TEST(HostileInputTest, PipesFoldersAndUnknownCommandsGetAClearLine) {
    TempDir dir;
    const auto fifo = dir / "homes.csv";
    ASSERT_EQ(test::run_shell("mkfifo " + fifo.string()).exit_code, 0);
    auto r = run_hearth({"inspect", fifo.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("is not a regular file"), std::string::npos) << r.err;
    r = run_hearth({"export", "--study", dir.path().string(), "--validate"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("is a folder"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    r = run_hearth({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos) << r.err;
}

TEST(HostileInputTest, ValuesThatWouldGiveNonsenseAreRefused) {
    SampleCopy s;
    const auto exported = s.dir / "hrw.gpkg";
    ASSERT_TRUE(std::filesystem::copy_file(test::sample_export().gpkg, exported));  // the sample, exported once
    const std::string lsoas = exported.string() + "|layername=lsoa_deprivation", wards = exported.string() + "|layername=wards";
    // The same field twice, or none.
    auto r = run_hearth({"interpolate", "--from", lsoas, "--field", "imd_score", "--field", "imd_score:intensive", "--to",
                         wards, "--to-id", "ward_code", "--out", (s.dir / "i.gpkg").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    r = run_hearth({"interpolate", "--from", lsoas, "--field", "", "--to", wards, "--to-id", "ward_code", "--out",
                    (s.dir / "i.gpkg").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    // Negative population weights gave an interpolated IMD score of 237.6.
    ASSERT_EQ(test::run_shell("ogrinfo -q " + exported.string() +
                              " -sql 'UPDATE lsoa_deprivation SET population_mid2015 = -5 WHERE fid = 3'").exit_code, 0);
    r = run_hearth({"interpolate", "--from", lsoas, "--field", "imd_score:intensive", "--population", "population_mid2015",
                    "--to", wards, "--to-id", "ward_code", "--out", (s.dir / "i.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("must not be negative"), std::string::npos) << r.err;
    // Duplicate area ids split an area's points between two rows.
    ASSERT_EQ(test::run_shell("ogrinfo -q " + exported.string() +
                              " -sql \"UPDATE wards SET ward_code = (SELECT ward_code FROM wards WHERE fid = 1) WHERE fid = 2\"")
                  .exit_code, 0);
    r = run_hearth({"count", "--points", exported.string() + "|layername=housing_stock", "--areas", wards, "--area-id",
                    "ward_code", "--out", (s.dir / "c.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("is used by more than one area"), std::string::npos) << r.err;
    // A walking speed of 0 passed --validate.
    std::string study = read_text(s.study);
    study.replace(study.find("walk_speed_m_per_min: 80"), 24, "walk_speed_m_per_min: 0");
    test::write_text(s.study, study);
    r = run_hearth({"export", "--study", s.study.string(), "--validate"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("'walk_speed_m_per_min' must be greater than 0"), std::string::npos) << r.err;
}

TEST(HostileInputTest, CountByAnIdFieldIsRefusedNotAThousandColumns) {
    // --by uprn made a 94,617-byte CREATE TABLE of 2,610 columns.
    SampleCopy s;
    const auto exported = s.dir / "hrw.gpkg";
    ASSERT_TRUE(std::filesystem::copy_file(test::sample_export().gpkg, exported));  // the sample, exported once
    const auto r = run_hearth({"count", "--points", exported.string() + "|layername=housing_stock", "--areas",
                               exported.string() + "|layername=wards", "--area-id", "ward_code", "--by", "uprn", "--out",
                               (s.dir / "c.gpkg").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--by uprn has 2610 different values"), std::string::npos) << r.err;
    EXPECT_LT(r.err.size(), 300u);
}

namespace {

/// Replaces the first occurrence of `from` in `file` with `to`.
void replace_in(const std::filesystem::path& file, const std::string& from, const std::string& to) {
    std::string text = read_text(file);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << file;
    text.replace(at, from.size(), to);
    test::write_text(file, text);
}

/// The rows of the `problems` layer as "row|field|value|reason" lines.
std::string problems_in(const std::filesystem::path& gpkg) {
    return test::run_shell("sqlite3 " + gpkg.string() + " 'SELECT row, field, value, reason FROM problems ORDER BY fid'").out;
}

}  // namespace

// Strict by default: the first bad row ends the run, named. --skip-invalid leaves bad
// rows out instead, each in a `problems` layer of the output and counted on stderr.
TEST(SkipInvalidTest, ABadCoordinateStopsTheRunUnlessSkippedThenItIsListedInProblems) {
    SampleCopy s;
    const auto homes = s / "housing/housing_stock_illustrative.csv";
    replace_in(homes, "100021000059,529681.2,", "100021000059,52968l.2,");  // a letter l for a digit 1
    const auto exported = s.dir / "hrw.gpkg";
    auto r = run_hearth({"-q", "export", "--study", s.study.string(), "--out", exported.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("housing_stock_illustrative.csv"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("feature 2: field 'X_COORDINATE': expected a number, found '52968l.2'"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(exported));

    r = run_hearth({"-q", "--skip-invalid", "export", "--study", s.study.string(), "--out", exported.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: skipped 1 invalid row (first: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("see layer 'problems'"), std::string::npos) << r.err;
    EXPECT_EQ(problems_in(exported), "2|X_COORDINATE|52968l.2|expected a number, found '52968l.2'\n");
    // The other 2,609 homes are all there; the bad one is not.
    const auto homes_written = test::run_shell("sqlite3 " + exported.string() +
                                               " 'SELECT count(*), sum(uprn = 100021000059) FROM housing_stock'");
    EXPECT_EQ(homes_written.out, "2609|0\n");
    const auto source = test::run_shell("sqlite3 " + exported.string() + " 'SELECT source, layer FROM problems'");
    EXPECT_NE(source.out.find("housing_stock_illustrative.csv|housing_stock_illustrative"), std::string::npos) << source.out;
}

TEST(SkipInvalidTest, APointLayerReadInColumnsDropsTheWholeBadRowAndItsNulls) {
    SampleCopy s;
    const auto exported = s.dir / "hrw.gpkg";
    ASSERT_TRUE(std::filesystem::copy_file(test::sample_export().gpkg, exported));  // the sample, exported once
    // A copy of the homes whose unit count is text, as a careless export would leave it:
    // one value is not a number (GeoPackage: read through GDAL's Arrow stream).
    const auto homes = s.dir / "homes_text.gpkg";
    ASSERT_EQ(test::run_shell("ogr2ogr " + homes.string() + " " + exported.string() +
                              " -sql 'SELECT geom, uprn, CAST(homes AS TEXT) AS units_text FROM housing_stock'"
                              " -nln homes").exit_code, 0);
    ASSERT_EQ(test::run_shell("ogrinfo -q " + homes.string() +
                              " -sql \"UPDATE homes SET units_text = 'sixty' WHERE fid = 1\"").exit_code, 0);
    const std::string lsoas = exported.string() + "|layername=lsoa_deprivation";
    const auto out = s.dir / "c.gpkg";
    auto r = run_hearth({"-q", "count", "--points", homes.string(), "--areas", lsoas, "--area-id", "lsoa11cd", "--sum",
                         "units_text", "--out", out.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("feature 1: field 'units_text': expected a number, found 'sixty'"), std::string::npos) << r.err;

    r = run_hearth({"-q", "--skip-invalid", "count", "--points", homes.string(), "--areas", lsoas, "--area-id", "lsoa11cd",
                    "--sum", "units_text", "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(problems_in(out), "1|units_text|sixty|expected a number, found 'sixty'\n");
    // Every other home is counted and summed: the totals are those of the rows kept.
    const auto counted = test::run_shell("sqlite3 " + out.string() + " 'SELECT sum(count), sum(sum_units_text) FROM point_counts'");
    const auto expected = test::run_shell("sqlite3 " + exported.string() +
                                          " 'SELECT count(*), sum(homes) * 1.0 FROM housing_stock WHERE fid <> 1'");
    EXPECT_EQ(counted.out, expected.out);
}

TEST(SkipInvalidTest, WithoutBadRowsNothingChangesAndNoProblemsLayerIsWritten) {
    SampleCopy s;
    const auto out = s.dir / "hrw.gpkg";
    const auto r = run_hearth({"-q", "--skip-invalid", "export", "--study", s.study.string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(test::run_shell("sqlite3 " + out.string() + " \"SELECT count(*) FROM gpkg_contents WHERE table_name = 'problems'\"").out,
              "0\n");
}

TEST(HostileInputTest, APtalLocationOutsideTheCrsOrTheStudyIsAUsageErrorNotBandZero) {
    SampleCopy s;
    // 1e300 metres: outside the area EPSG:27700 is defined for.
    auto r = run_hearth({"ptal", "--study", s.study.string(), "--at", "1e300,1e300"});
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find("lies outside the area EPSG:27700 is defined for"), std::string::npos) << r.err;
    // Longitude and latitude typed as eastings: inside Great Britain's grid, outside the study.
    r = run_hearth({"ptal", "--study", s.study.string(), "--at", "-0.066,51.6"});
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find("lies outside the study area"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--at-crs EPSG:4326"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    // The same place said in its CRS is answered.
    r = run_hearth({"ptal", "--study", s.study.string(), "--at", "-0.066,51.6", "--at-crs", "EPSG:4326"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("band"), std::string::npos) << r.out;
}

TEST(HostileInputTest, ABadWhereFilterIsFoundByValidateAndReportedOnOneLine) {
    SampleCopy s;
    replace_in(s.study, "    source: housing/housing_stock_illustrative.csv\n",
               "    source: housing/housing_stock_illustrative.csv\n    where: \"TENURE = 'Social rent' AND\"\n");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"export", "--study", s.study.string(), "--validate"},
          std::vector<std::string>{"export", "--study", s.study.string(), "--out", (s.dir / "o.gpkg").string()}}) {
        const auto r = run_hearth(args);
        EXPECT_EQ(r.exit_code, 1) << r.out;
        EXPECT_NE(r.err.find("housing_stock_illustrative.csv: layer 'housing_stock_illustrative': where: 'TENURE = "
                             "'Social rent' AND' is not a valid OGR SQL filter (SQL Expression Parsing Error: syntax "
                             "error, unexpected end of string."),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST(HostileInputTest, Latin1BytesInACsvAreWrittenAsUtf8NotCopiedRaw) {
    SampleCopy s;
    const auto homes = s / "housing/housing_stock_illustrative.csv";
    replace_in(homes, "Social rent,Registered Provider B,", "Social rent,Caf\xe9 Homes,");  // Windows-1252 é
    const auto out = s.dir / "hrw.gpkg";
    const auto r = run_hearth({"-q", "export", "--study", s.study.string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto landlord = test::run_shell("sqlite3 " + out.string() +
                                          " \"SELECT DISTINCT hex(landlord) FROM housing_stock WHERE landlord LIKE 'Caf%'\"");
    EXPECT_EQ(landlord.out, "436166C3A920486F6D6573\n");  // "Café Homes" in UTF-8
}

TEST(HostileInputTest, AnOutOfRangeDecileInAJoinedCsvIsBlamedOnTheCsvRow) {
    SampleCopy s;
    // Row 2 of the IMD file (E01001963): its decile 9 made 11.
    replace_in(s / "deprivation/imd2019_file7_haringey.csv", "8.6,26300,9,", "8.6,26300,11,");
    const auto r = run_hearth({"-q", "export", "--study", s.study.string(), "--out", (s.dir / "o.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("imd2019_file7_haringey.csv: layer 'imd2019_file7_haringey': feature 2: field 'Index of "
                         "Multiple Deprivation (IMD) Decile"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("expected a value from 1 to 10 (imd_decile), found 11"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(".shp"), std::string::npos) << "blamed on the boundaries: " << r.err;
}

// export reads the homes through read_layer, access streams them through the point
// reader: one recipe, so one set of rules and the same message from both.
TEST(HostileInputTest, BothHomeReadersRefuseTheSameBadUnitCountsAndDuplicateUprns) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Registered Provider B,-3,", "expected a value from 0 to 10000 (homes), found -3"},
        {"Registered Provider B,2.5,", "expected a whole number, found 2.5"},
        {"Registered Provider B,1e23,", "expected a whole number, found 1e+23"},
    };
    for (const auto& [cell, message] : cases) {
        SCOPED_TRACE(cell);
        SampleCopy s;
        replace_in(s / "housing/housing_stock_illustrative.csv", "Registered Provider B,60,", cell);
        for (const std::string command : {"export", "access"}) {
            const auto r = run_hearth({"-q", command, "--study", s.study.string(), "--out", (s.dir / "o.gpkg").string()});
            EXPECT_EQ(r.exit_code, 1) << command;
            EXPECT_NE(r.err.find("housing_stock_illustrative.csv: layer 'housing_stock_illustrative': feature 1: field "
                                 "'UNITS': " + message),
                      std::string::npos)
                << command << ": " << r.err;
        }
    }
    // The second home given the first one's UPRN would count its homes twice.
    SampleCopy s;
    replace_in(s / "housing/housing_stock_illustrative.csv", "100021000059,", "100021000027,");
    for (const std::string command : {"export", "access"}) {
        auto r = run_hearth({"-q", command, "--study", s.study.string(), "--out", (s.dir / "o.gpkg").string()});
        EXPECT_EQ(r.exit_code, 1) << command;
        EXPECT_NE(r.err.find("feature 2: field 'UPRN': duplicate"), std::string::npos) << command << ": " << r.err;
        EXPECT_NE(r.err.find("'100021000027' (first at feature 1)"), std::string::npos) << command << ": " << r.err;
        r = run_hearth({"-q", "--skip-invalid", command, "--study", s.study.string(), "--out", (s.dir / "o.gpkg").string()});
        ASSERT_EQ(r.exit_code, 0) << command << ": " << r.err;
        EXPECT_EQ(problems_in(s.dir / "o.gpkg"),
                  "2|UPRN|100021000027|duplicate uprn '100021000027' (first at feature 1); each value must name one row\n")
            << command;
    }
}

TEST(HostileInputTest, ANulByteInACsvIsAnErrorNotAShortRow) {
    SampleCopy s;
    const auto homes = s / "housing/housing_stock_illustrative.csv";
    replace_in(homes, "Private rent,Private landlord,2,D,0", std::string("Private rent,Private\0 landlord,2,D,0", 36));
    const auto r = run_hearth({"-q", "export", "--study", s.study.string(), "--out", (s.dir / "o.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("housing_stock_illustrative.csv: a NUL byte at line 3, column 52"), std::string::npos) << r.err;
}
