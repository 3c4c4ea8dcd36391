// Reads the event log on a second thread while the caller folds it: SQLite's row decoding and the page reads
// overlap with the fold, so a report uses both cores of a small server. Rows travel in bounded batches (a few
// MB in flight at most). The visitor runs on the calling thread, in seq order.
#pragma once

#include <cstdint>
#include <functional>

#include "storage/report_store.hpp"

namespace hotline::report {

// Like ReportStore::for_each_event, with the reading on its own thread. `store` is used only by that thread
// until the call returns.
storage::Result<std::int64_t> pipelined_events(storage::ReportStore& store, std::int64_t until_ms,
                                               const std::function<void(const storage::EventView&)>& visit);

}  // namespace hotline::report
