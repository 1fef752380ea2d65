// A core's options as the environment calls see them: SET_VARIABLES parsing, overrides made before and after the
// core declares an option, GET_VARIABLE for unknown keys, the update flag and the power-on fingerprint.
#include "core_options.h"

#include <cstring>

#include "check.h"

using rgym::CoreOptions;

namespace {

// What a core passes to SET_VARIABLES: entries up to the one with a null key.
void declare(CoreOptions& options, std::initializer_list<retro_variable> variables) {
  std::vector<retro_variable> list(variables);
  list.push_back({nullptr, nullptr});
  options.declare(list.data());
}

}  // namespace

TEST("a declaration gives description, choices and the first choice as default and value") {
  CoreOptions options;
  declare(options, {{"fceumm_region", "Region; Auto|NTSC|PAL"}, {"empty_choices", "No choices"}});
  const auto list = options.list();
  CHECK(list.size() == 2);
  CHECK(list[0].key == "fceumm_region" && list[0].description == "Region");
  CHECK((list[0].choices == std::vector<std::string>{"Auto", "NTSC", "PAL"}));
  CHECK(list[0].defaultValue == "Auto" && list[0].value == "Auto");
  CHECK(list[1].choices.empty() && list[1].defaultValue.empty());
  CHECK(std::strcmp(options.value("fceumm_region"), "Auto") == 0);
}

TEST("an override set before the core declares the option wins over its default") {
  CoreOptions options;
  options.set("fceumm_region", "PAL");
  declare(options, {{"fceumm_region", "Region; Auto|NTSC|PAL"}});
  CHECK(options.list().size() == 1);
  CHECK(options.list()[0].value == "PAL" && options.list()[0].defaultValue == "Auto");
  CHECK(std::strcmp(options.value("fceumm_region"), "PAL") == 0);
}

TEST("unknown or null keys have no value") {
  CoreOptions options;
  declare(options, {{"known", "Known; a|b"}});
  CHECK(options.value("unknown") == nullptr);
  CHECK(options.value(nullptr) == nullptr);
}

TEST("the update flag is raised by set and cleared by taking it") {
  CoreOptions options;
  CHECK(!options.takeChanged());
  options.set("a", "1");
  CHECK(options.takeChanged());
  CHECK(!options.takeChanged());
}

TEST("the fingerprint lists every value in the order first seen, and changes with a value") {
  CoreOptions options;
  options.set("b", "2");
  declare(options, {{"a", "A; x|y"}, {"b", "B; 1|2"}});
  CHECK(options.fingerprint() == "\nb=2\na=x");
  options.set("a", "y");
  CHECK(options.fingerprint() == "\nb=2\na=y");
}

int main() { return check::runAll(); }
