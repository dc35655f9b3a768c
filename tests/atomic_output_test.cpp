#include <gtest/gtest.h>

#include "hearth/export/atomic_output.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::TempDir;

TEST(AtomicOutputTest, NothingAppearsUntilCommit) {
    TempDir dir;
    const auto target = dir / "result.gpkg";
    {
        AtomicOutput out(target);
        test::write_text(out.temporary_path(), "partial");
        EXPECT_FALSE(std::filesystem::exists(target));
        EXPECT_EQ(out.temporary_path().parent_path(), target.parent_path());
        out.commit();
    }
    EXPECT_EQ(test::read_text(target), "partial");
    EXPECT_EQ(test::files_in(dir.path()).size(), 1u);
}

TEST(AtomicOutputTest, AbandonedOutputLeavesNoFileAndKeepsTheOldOne) {
    TempDir dir;
    const auto target = dir / "result.gpkg";
    test::write_text(target, "previous run");
    {
        AtomicOutput out(target);
        test::write_text(out.temporary_path(), "half written");
    }
    EXPECT_EQ(test::read_text(target), "previous run");
    EXPECT_EQ(test::files_in(dir.path()).size(), 1u);
}

TEST(AtomicOutputTest, CreatesTheTargetFolder) {
    TempDir dir;
    AtomicOutput out(dir / "new" / "folder" / "x.gpkg");
    EXPECT_TRUE(std::filesystem::is_directory(dir / "new" / "folder"));
}
