#include "scenario.h"

#include "errors.h"

namespace rgym {

Operation parseOperation(const std::string& name) {
  static const std::pair<const char*, Operation> names[] = {
      {"", Operation::None},
      {"equal", Operation::Equal},
      {"negative-equal", Operation::NegativeEqual},
      {"not-equal", Operation::NotEqual},
      {"less-than", Operation::LessThan},
      {"greater-than", Operation::GreaterThan},
      {"less-or-equal", Operation::LessOrEqual},
      {"greater-or-equal", Operation::GreaterOrEqual},
      {"nonzero", Operation::Nonzero},
      {"zero", Operation::Zero},
      {"positive", Operation::Positive},
      {"negative", Operation::Negative},
      {"sign", Operation::Sign},
  };
  for (const auto& [text, op] : names) {
    if (name == text) return op;
  }
  throw EmulatorError("SCENARIO_INVALID", "unknown op \"" + name + "\"");
}

Measurement parseMeasurement(const std::string& name) {
  if (name == "absolute") return Measurement::Absolute;
  if (name == "delta") return Measurement::Delta;
  throw EmulatorError("SCENARIO_INVALID", "unknown measurement \"" + name + "\"");
}

int64_t applyOperation(Operation op, int64_t reference, int64_t value) {
  switch (op) {
    case Operation::None: return value;
    case Operation::Equal: return value == reference;
    case Operation::NegativeEqual: return value == -reference;
    case Operation::NotEqual: return value != reference;
    case Operation::LessThan: return value < reference;
    case Operation::GreaterThan: return value > reference;
    case Operation::LessOrEqual: return value <= reference;
    case Operation::GreaterOrEqual: return value >= reference;
    case Operation::Nonzero: return value != 0;
    case Operation::Zero: return value == 0;
    case Operation::Positive: return value > 0;
    case Operation::Negative: return value < 0;
    case Operation::Sign: return value < 0 ? -1 : value > 0 ? 1 : 0;
  }
  return 0;
}

namespace {
int64_t measure(int variable, Measurement m, const int64_t* values, const int64_t* deltas) {
  if (variable < 0) return 1;
  return m == Measurement::Delta ? deltas[variable] : values[variable];
}
}  // namespace

double RewardTerm::evaluate(const int64_t* values, const int64_t* deltas) const {
  const auto measured = static_cast<double>(applyOperation(op, reference, measure(variable, measurement, values, deltas)));
  if (measured > 0) return measured * reward;
  if (measured < 0) return measured * penalty;
  return 0;
}

bool DoneTerm::test(const int64_t* values, const int64_t* deltas) const {
  return applyOperation(op, reference, measure(variable, measurement, values, deltas)) > 0;
}

bool DoneNode::evaluate(const int64_t* values, const int64_t* deltas) const {
  for (const DoneTerm& term : terms) {
    const bool done = term.test(values, deltas);
    if (done && !all) return true;
    if (!done && all) return false;
  }
  for (const DoneNode& node : nodes) {
    const bool done = node.evaluate(values, deltas);
    if (done && !all) return true;
    if (!done && all) return false;
  }
  return all;
}

}  // namespace rgym
