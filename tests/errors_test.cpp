// Messages never show a password: connection strings in every form libpq takes.
#include <gtest/gtest.h>

#include "hearth/core/errors.hpp"

namespace hearth {
namespace {

TEST(RedactSecretsTest, KeywordPasswordsAreReplaced) {
    EXPECT_EQ(redact_secrets("PG:host=db dbname=team user=ann password=s3cret port=5432"),
              "PG:host=db dbname=team user=ann password=*** port=5432");
    EXPECT_EQ(redact_secrets("PG:password = 's3 cr\\'et' host=db"), "PG:password=*** host=db");
    EXPECT_EQ(redact_secrets("PG:PASSWORD=abc"), "PG:password=***");
}

TEST(RedactSecretsTest, UriPasswordsAreReplaced) {
    EXPECT_EQ(redact_secrets("PG:postgresql://ann:s3cret@db.example:5432/team"), "PG:postgresql://ann:***@db.example:5432/team");
    EXPECT_EQ(redact_secrets("postgres://ann@db/team"), "postgres://ann@db/team");  // no password: unchanged
}

TEST(RedactSecretsTest, TextWithoutSecretsIsUnchanged) {
    EXPECT_EQ(redact_secrets("housing/stock.csv: feature 3: field 'homes': expected a number"),
              "housing/stock.csv: feature 3: field 'homes': expected a number");
    EXPECT_EQ(redact_secrets("field 'passwords_reset' = 3"), "field 'passwords_reset' = 3");
}

TEST(RedactSecretsTest, InputErrorsNameTheSourceWithoutItsPassword) {
    const InputError e({"PG:host=db password=s3cret", "team.wards", {}, "ward_code"}, "no such field");
    EXPECT_EQ(std::string(e.what()), "PG:host=db password=***: layer 'team.wards': field 'ward_code': no such field");
}

}  // namespace
}  // namespace hearth
