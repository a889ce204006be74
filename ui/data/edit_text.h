#pragma once
// Readable descriptions of what-if edits (SPEC section 5) for the Edits panel, menus and undo history.
#include <QString>
#include <functional>

#include "maxstate/whatif.h"

namespace maxstate::ui {

// "Replace position 5 with 'x' (id 17)", "Knock out position 3 in layer 1, head 2", ... `tokenLabel` names
// an id (empty: the id alone).
QString describeEdit(const Edit& edit, const std::function<QString(int64_t)>& tokenLabel = {});
// The SPEC text of an edit (replace:5=17), as QString.
QString specText(const Edit& edit);

}  // namespace maxstate::ui
