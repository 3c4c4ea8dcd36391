// The contract suite's factory for the SQLite engine (storage/): every store opens the database file itself.
#pragma once

#include "tests/storage/contract/store_contract.hpp"

namespace hotline::storage::contract {

class SqliteEngine final : public StoreFactory {
 public:
  Result<std::unique_ptr<TicketStore>> open_tickets(const std::string& path, const OpenOptions& options) const override;
  Result<std::unique_ptr<EscalationStore>> open_escalations(const std::string& path,
                                                            const OpenOptions& options) const override;
  Result<std::unique_ptr<TokenStore>> open_tokens(const std::string& path, const OpenOptions& options) const override;
  Result<std::unique_ptr<ReportStore>> open_report(const std::string& path) const override;
  void make_newer(const std::string& path) const override;
  Result<void> try_update_event(TicketStore& store, std::int64_t seq) const override;
  Result<void> try_delete_event(TicketStore& store, std::int64_t seq) const override;
};

}  // namespace hotline::storage::contract
