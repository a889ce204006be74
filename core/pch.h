// Precompiled for every core translation unit: parsing ATen costs ~20 s per file otherwise.
#pragma once
#include <ATen/ATen.h>
