// Numbers as published: thousands separators in their groups, and nothing else.

#include <cmath>

#include <gtest/gtest.h>

#include "hearth/core/published_text.hpp"

using namespace hearth;

TEST(PublishedTextTest, ThousandsSeparatorsAreAcceptedOnlyInGroupsOfThree) {
    EXPECT_EQ(parse_published_number("1,234"), 1234.0);
    EXPECT_EQ(parse_published_number(" 1,234,567.25 "), 1234567.25);
    EXPECT_EQ(parse_published_number("-12,345"), -12345.0);
    EXPECT_EQ(parse_published_number("999"), 999.0);
    EXPECT_EQ(parse_published_number("0.5e3"), 500.0);
    // "1,2,3" was read as 123: a list, not a number.
    for (const char* bad : {"1,2,3", ",123", "123,", "1,,234", "12,34", "1234,567", "1,234.5,6", "1,23a", "1,234e1,0", "-,123"})
        EXPECT_FALSE(parse_published_number(bad).has_value()) << bad;
}

TEST(PublishedTextTest, EmptyTextAndNonNumbersAreNotNumbers) {
    for (const char* bad : {"", "  ", "n/a", "1.2.3", "inf", "nan", "1e999"})
        EXPECT_FALSE(parse_published_number(bad).has_value()) << bad;
}

TEST(PublishedTextTest, TextThatIsNotUtf8IsReadAsWindows1252) {
    EXPECT_EQ(trim_text("Caf\xe9 Homes "), "Caf\xc3\xa9 Homes");             // é
    EXPECT_EQ(trim_text("\x93quoted\x94"), "\xe2\x80\x9cquoted\xe2\x80\x9d");  // curly quotes
    EXPECT_EQ(trim_text("\xa3" "5"), "\xc2\xa3" "5");                          // £5
    EXPECT_EQ(trim_text("Caf\xc3\xa9"), "Caf\xc3\xa9");                        // UTF-8 is kept as it is
}

TEST(PublishedTextTest, OneLineShowsLineBreaksAndCutsLongText) {
    EXPECT_EQ(one_line("a\nb\r", 10), "a\\nb\\r");
    EXPECT_EQ(one_line("abcdef", 3), "abc...");
    EXPECT_EQ(one_line("abc", 3), "abc");
}

TEST(WithThousandsTest, GroupsTheWholePartOnly) {
    EXPECT_EQ(hearth::with_thousands(1234567.891, 1), "1,234,567.9");
    EXPECT_EQ(hearth::with_thousands(-1234.5, 0), "-1,234");  // %.0f rounds half to even
    EXPECT_EQ(hearth::with_thousands(999, 0), "999");
    EXPECT_EQ(hearth::with_thousands(0.125, 3), "0.125");
    EXPECT_EQ(hearth::with_thousands(std::nan(""), 1), "");
}
