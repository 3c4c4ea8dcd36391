#include "daemon/report/event_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace hotline::report {
namespace {

constexpr std::size_t k_rows_per_batch = 8192;
constexpr std::size_t k_batches_in_flight = 4;

struct Row {
  std::int64_t seq, at_ms;
  std::uint32_t offset;  // into Batch::text: ticket id, kind, unit, payload back to back
  std::uint16_t ticket_len, kind_len, unit_len;
  std::uint32_t payload_len;
};

struct Batch {
  std::string text;
  std::vector<Row> rows;
};

class Queue {
 public:
  void push(Batch b) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return batches_.size() < k_batches_in_flight || cancelled_; });
    if (cancelled_) return;  // nobody will fold it
    batches_.push_back(std::move(b));
    ready_.notify_one();
  }
  // nullopt once the producer finished and everything was taken.
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !batches_.empty() || done_; });
    if (batches_.empty()) return std::nullopt;
    Batch b = std::move(batches_.front());
    batches_.pop_front();
    space_.notify_one();
    return b;
  }
  void finish() {
    std::lock_guard lock(mutex_);
    done_ = true;
    ready_.notify_all();
  }
  void cancel() {  // the consumer gave up (an exception): let the producer run to its end without blocking
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    batches_.clear();
    space_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Batch> batches_;
  bool done_ = false;
  bool cancelled_ = false;
};

}  // namespace

storage::Result<std::int64_t> pipelined_events(storage::ReportStore& store, std::int64_t until_ms,
                                               const std::function<void(const storage::EventView&)>& visit) {
  Queue queue;
  std::optional<storage::Result<std::int64_t>> read;
  std::thread reader([&] {
    Batch batch;
    const auto flush = [&] {
      queue.push(std::move(batch));
      batch = Batch{};
      batch.rows.reserve(k_rows_per_batch);
    };
    batch.rows.reserve(k_rows_per_batch);
    read = store.for_each_event(until_ms, [&](const storage::EventView& e) {
      const auto offset = static_cast<std::uint32_t>(batch.text.size());
      batch.text.append(e.ticket_id).append(e.kind).append(e.unit_id).append(e.payload);
      batch.rows.push_back({e.seq, e.at_ms, offset, static_cast<std::uint16_t>(e.ticket_id.size()),
                            static_cast<std::uint16_t>(e.kind.size()), static_cast<std::uint16_t>(e.unit_id.size()),
                            static_cast<std::uint32_t>(e.payload.size())});
      if (batch.rows.size() == k_rows_per_batch) flush();
    });
    if (!batch.rows.empty()) queue.push(std::move(batch));
    queue.finish();
  });
  try {
    while (auto batch = queue.pop()) {
      const std::string_view text = batch->text;
      for (const auto& r : batch->rows) {
        storage::EventView v;
        v.seq = r.seq;
        v.at_ms = r.at_ms;
        std::size_t at = r.offset;
        v.ticket_id = text.substr(at, r.ticket_len);
        v.kind = text.substr(at += r.ticket_len, r.kind_len);
        v.unit_id = text.substr(at += r.kind_len, r.unit_len);
        v.payload = text.substr(at + r.unit_len, r.payload_len);
        visit(v);
      }
    }
  } catch (...) {
    queue.cancel();
    reader.join();
    throw;
  }
  reader.join();
  return *read;
}

}  // namespace hotline::report
