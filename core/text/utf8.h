#pragma once
// The few UTF-8 operations tokenisation needs: validating, stepping over code points, encoding one.
#include <cstddef>
#include <string>
#include <string_view>

namespace maxstate::utf8 {

// Bytes of the well-formed sequence starting at s[pos] (1..4), or 0 if it is not one (stray continuation
// byte, overlong form, surrogate, above U+10FFFF, truncated).
size_t sequenceLength(std::string_view s, size_t pos);
// The byte offset of the first malformed sequence, or std::string_view::npos if `s` is valid UTF-8.
size_t firstInvalid(std::string_view s);
// The code point of the well-formed sequence of `length` bytes at s[pos].
char32_t decode(std::string_view s, size_t pos, size_t length);
std::string encode(char32_t c);
// "U+00E9"
std::string codePointName(char32_t c);

}  // namespace maxstate::utf8
