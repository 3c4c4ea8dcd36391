// Running blocking work (a rules reload, a report, a search, a page of a feed's catch-up) from a coroutine without
// holding its I/O thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace hotline::daemon {

// Runs `work` on `pool` and resumes the awaiting coroutine on its own executor with the result (an exception
// from `work` is rethrown there). Not `co_await post(pool, use_awaitable)`: that resumes the coroutine on its own
// executor at once, so what follows it would run on the I/O thread after all.
// Let `work` capture only what copies bit for bit (pointers, numbers; point at the caller's locals, which live
// until it resumes): GCC 12 relocates the temporaries of a co_await expression with memcpy, and a captured
// std::string (its short-string buffer) then freed memory inside the coroutine frame.
template <class Work>
auto run_off_thread(boost::asio::any_io_executor pool, Work work)
    -> boost::asio::awaitable<std::invoke_result_t<Work&>> {
  using Result = std::invoke_result_t<Work&>;
  co_return co_await boost::asio::co_spawn(
      pool, [work = std::move(work)]() mutable -> boost::asio::awaitable<Result> { co_return work(); },
      boost::asio::use_awaitable);
}

}  // namespace hotline::daemon
