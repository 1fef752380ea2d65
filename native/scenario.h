// A scenario.json's reward and done rules over RAM variables, evaluated natively each step with stable-retro's
// semantics: a reward term measures a variable (its value, or its change since the last step), optionally maps
// it through an operation against a reference, and scales positive results by `reward`, negative by `penalty`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rgym {

enum class Measurement { Absolute, Delta };
enum class Operation {
  None, Equal, NegativeEqual, NotEqual, LessThan, GreaterThan, LessOrEqual, GreaterOrEqual,
  Nonzero, Zero, Positive, Negative, Sign
};

// Throws EmulatorError SCENARIO_INVALID for an unknown name.
Operation parseOperation(const std::string& name);
Measurement parseMeasurement(const std::string& name);
int64_t applyOperation(Operation op, int64_t reference, int64_t value);

struct RewardTerm {
  int variable = -1;  // index into the VariableSet; -1 = the constant 1 per step (stable-retro's "time")
  Measurement measurement = Measurement::Delta;
  Operation op = Operation::None;
  int64_t reference = 0;
  double reward = 0, penalty = 0;

  double evaluate(const int64_t* values, const int64_t* deltas) const;
};

struct DoneTerm {
  int variable = -1;
  Measurement measurement = Measurement::Absolute;
  Operation op = Operation::None;
  int64_t reference = 0;

  bool test(const int64_t* values, const int64_t* deltas) const;
};

struct DoneNode {
  bool all = false;  // condition: "all" rather than "any"
  std::vector<DoneTerm> terms;
  std::vector<DoneNode> nodes;

  // A node with no terms and no nodes is never done under "any" (and always under "all"), like stable-retro.
  bool evaluate(const int64_t* values, const int64_t* deltas) const;
};

struct ScenarioRules {
  std::vector<std::vector<RewardTerm>> rewards;  // per player
  DoneNode done;
};

}  // namespace rgym
