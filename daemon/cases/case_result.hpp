// What a case transaction ends in when it does not succeed, as a value: the ticket is not there, the life-cycle
// machine refused the move, or the database failed. The API maps each kind to its HTTP answer in one place.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <optional>
#include <stdexcept>

#include "routing/lifecycle.hpp"
#include "storage/error.hpp"

namespace hotline::daemon {

enum class CaseFailure {
  not_found,  // no ticket with that id
  refused,    // the life-cycle machine refused the move (refusal says why)
  storage,    // the database failed (storage says how)
};

struct CaseError {
  CaseError() = default;  // result<T, CaseError>::error() wants one; never a real failure's value
  CaseError(routing::Refusal r) : kind(CaseFailure::refused), refusal(std::move(r)) {}  // NOLINT: implicit on purpose
  CaseError(storage::Error e) : kind(CaseFailure::storage), storage(std::move(e)) {}    // NOLINT: implicit on purpose
  static CaseError not_found() { return CaseError(CaseFailure::not_found); }

  CaseFailure kind = CaseFailure::storage;
  std::optional<routing::Refusal> refusal;  // for refused
  storage::Error storage;                   // for storage
 private:
  explicit CaseError(CaseFailure k) : kind(k) {}
};

template <class T>
using CaseResult = boost::system::result<T, CaseError>;

// Called by CaseResult::value() on an error (found by argument-dependent lookup).
[[noreturn]] inline void throw_exception_from_error(const CaseError& e, const boost::source_location&) {
  throw std::runtime_error(e.kind == CaseFailure::storage   ? e.storage.message
                           : e.kind == CaseFailure::refused ? e.refusal->reason
                                                            : "no such ticket");
}

}  // namespace hotline::daemon
