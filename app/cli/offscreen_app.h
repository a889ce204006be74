#pragma once
// A QApplication on Qt's offscreen platform, for commands that draw figures with no display at all
// (`maxstate stats --plot`). Qt's own notes about the platform are not the user's business: only its
// critical messages reach stderr, prefixed with the command's name.
#include <QApplication>

#include <memory>

namespace maxstate::cli {

// Null when a QApplication exists already.
std::unique_ptr<QApplication> offscreenApplication(const char* command);

}  // namespace maxstate::cli
