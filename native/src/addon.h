// Registration of the bindings that live outside addon.cc.
#pragma once
#include <napi.h>

namespace csfnet {

/** Element-wise, reductions, pooling, Adam, and the thread/ISA controls. */
void registerMisc(Napi::Env env, Napi::Object exports);

}  // namespace csfnet
