#include "daemon/tools/csv_record.hpp"

namespace hotline::daemon {

bool csv_record(std::istream& in, std::vector<std::string>& fields, std::size_t& line) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false, was_quoted = false;
  char c = 0;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          field += '"';
          in.get(c);
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  return true;
}

void drop_byte_order_mark(std::vector<std::string>& first_record) {
  if (!first_record.empty() && first_record[0].starts_with("\xEF\xBB\xBF")) first_record[0].erase(0, 3);
}

}  // namespace hotline::daemon
