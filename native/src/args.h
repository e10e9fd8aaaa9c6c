// Argument helpers for the N-API bindings: typed-array access with length checks whose messages
// name the kernel and the argument, as the TypeScript ops do.
#pragma once
#include <napi.h>

#include <cstdint>
#include <exception>
#include <string>

namespace csfnet {

struct Args {
  const Napi::CallbackInfo& info;
  const char* kernel;

  [[noreturn]] void fail(const std::string& message) const {
    throw Napi::RangeError::New(info.Env(), std::string(kernel) + ": " + message);
  }

  void count(size_t n) const {
    if (info.Length() < n) fail("expected " + std::to_string(n) + " arguments, got " + std::to_string(info.Length()));
  }

  float* f32(size_t i, const char* name, int64_t expected) const {
    if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      fail(std::string(name) + " must be a Float32Array");
    }
    Napi::Float32Array a = info[i].As<Napi::Float32Array>();
    if (expected >= 0 && static_cast<int64_t>(a.ElementLength()) != expected) {
      fail(std::string(name) + " has " + std::to_string(a.ElementLength()) + " elements, expected " + std::to_string(expected));
    }
    return a.Data();
  }

  /** A Float32Array or null (nullptr). */
  float* f32OrNull(size_t i, const char* name, int64_t expected) const {
    if (info[i].IsNull() || info[i].IsUndefined()) return nullptr;
    return f32(i, name, expected);
  }

  int32_t* i32(size_t i, const char* name, int64_t expected) const {
    if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      fail(std::string(name) + " must be an Int32Array");
    }
    Napi::Int32Array a = info[i].As<Napi::Int32Array>();
    if (expected >= 0 && static_cast<int64_t>(a.ElementLength()) != expected) {
      fail(std::string(name) + " has " + std::to_string(a.ElementLength()) + " elements, expected " + std::to_string(expected));
    }
    return a.Data();
  }

  int64_t length(size_t i) const { return static_cast<int64_t>(info[i].As<Napi::TypedArray>().ElementLength()); }

  double num(size_t i, const char* name) const {
    if (!info[i].IsNumber()) fail(std::string(name) + " must be a number");
    return info[i].As<Napi::Number>().DoubleValue();
  }

  /** A non-negative integer that fits the kernels' index arithmetic. */
  int64_t size(size_t i, const char* name) const {
    const double v = num(i, name);
    if (!(v >= 0 && v <= 9.0e15) || v != static_cast<double>(static_cast<int64_t>(v))) fail(std::string(name) + " must be a non-negative integer");
    return static_cast<int64_t>(v);
  }

  bool flag(size_t i) const { return info[i].ToBoolean().Value(); }
};

/**
 * Wraps a binding so that a C++ failure inside a kernel (std::bad_alloc for a workspace, say)
 * becomes a JavaScript Error naming the cause instead of terminating the process.
 */
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("csf-net native kernel failed: ") + e.what());
  }
}

}  // namespace csfnet
