// Must not compile: core may not see io (tests/CMakeLists.txt expects this to fail).
#include "hearth/io/study.hpp"
