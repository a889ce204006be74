#pragma once
// Errors are checked by kind and whole message: messages are what a user acts on, so they are part of the
// contract.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "maxstate/error.h"

namespace maxstate {

inline void expectError(const std::function<void()>& f, ErrorKind kind, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(int(e.kind()), int(kind)) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace maxstate
