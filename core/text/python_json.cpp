#include "text/python_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "maxstate/chat.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

// float.__repr__: the shortest digits that round-trip, fixed notation when -4 < decimal point <= 16.
std::string pythonFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string s(buf, r.ptr);  // "-1.2345e+02"
  const size_t e = s.find('e');
  const int exponent = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (s[i] >= '0' && s[i] <= '9') digits += s[i];
  const int point = exponent + 1;  // digits d1 d2 ... = 0.d1d2... x 10^point
  std::string out = v < 0 ? "-" : "";
  const auto n = static_cast<int>(digits.size());
  if (point > -4 && point <= 16) {
    if (point <= 0)
      out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    else if (point >= n)
      out += digits + std::string(static_cast<size_t>(point - n), '0') + ".0";
    else
      out += digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
  } else {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  }
  return out;
}

// json's encoder with ensure_ascii=False escapes only '"', '\\' and the control characters below U+0020.
void pythonString(const std::string& s, std::string& out) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void dump(const nlohmann::ordered_json& v, std::string& out) {
  using T = nlohmann::ordered_json::value_t;
  switch (v.type()) {
    case T::null:
      out += "null";
      break;
    case T::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case T::number_integer:
      out += std::to_string(v.get<int64_t>());
      break;
    case T::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      break;
    case T::number_float:
      out += pythonFloat(v.get<double>());
      break;
    case T::string:
      pythonString(v.get_ref<const std::string&>(), out);
      break;
    case T::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        dump(item, out);
      }
      out += ']';
      break;
    }
    case T::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        pythonString(it.key(), out);
        out += ": ";
        dump(it.value(), out);
      }
      out += '}';
      break;
    }
    default:  // binary values and discarded parses never come out of a JSON text
      throw Error(ErrorKind::Internal, "pythonJsonDumps: a JSON value of an unexpected kind");
  }
}

}  // namespace

std::string pythonJsonDumps(const nlohmann::ordered_json& value) {
  std::string out;
  dump(value, out);
  return out;
}

std::string pythonJsonDumps(std::string_view json) {
  nlohmann::ordered_json v;
  try {
    v = nlohmann::ordered_json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::Usage, std::string("not valid JSON: ") + e.what());
  }
  return pythonJsonDumps(v);
}

}  // namespace maxstate
