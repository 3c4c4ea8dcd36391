// Reading CSV files a spreadsheet wrote (rules learn's training files and label maps), one record at a time.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace hotline::daemon {

// One CSV record (RFC 4180: quoted fields may hold commas, quotes doubled, and line breaks) into `fields`;
// `line` counts the lines read. False at the end.
bool csv_record(std::istream& in, std::vector<std::string>& fields, std::size_t& line);

// Removes a spreadsheet's UTF-8 byte-order mark from the start of the file's first field.
void drop_byte_order_mark(std::vector<std::string>& first_record);

}  // namespace hotline::daemon
