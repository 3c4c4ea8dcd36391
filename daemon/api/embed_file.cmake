# cmake -DINPUT=file -DOUTPUT=file.cpp -DHEADER=dir/name.hpp -DFUNCTION=name -P embed_file.cmake: writes a C++
# source whose FUNCTION() returns INPUT's bytes as a std::string_view (data compiled into the binary, no file
# read at run time). Used for the API's OpenAPI document.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('[^']*',){32})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by daemon/api/embed_file.cmake; do not edit.
#include \"${HEADER}\"

namespace hotline::daemon {
namespace {
constexpr char k_bytes[${size} + 1] = {
    ${bytes}'\\0'};
}  // namespace

std::string_view ${FUNCTION}() {
  return {k_bytes, ${size}};
}

}  // namespace hotline::daemon
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
