# Fails when a module includes what its layer forbids:
#   routing/  no Asio, Beast, Boost.JSON, SQLite, storage/ or daemon/ (it is pure);
#   storage/  no Asio, Beast or daemon/.
# Usage: cmake -DSOURCE_DIR=<tree> -P check_layering.cmake
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<source tree>")
endif()

set(violations "")
function(check_folder folder pattern why)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${folder}/*.hpp" "${SOURCE_DIR}/${folder}/*.cpp" "${SOURCE_DIR}/${folder}/*.h")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
      if(line MATCHES "${pattern}")
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${source}")
        list(APPEND violations "${rel}: ${line}  (${why})")
      endif()
    endforeach()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

check_folder(routing "[<\"](boost/asio|boost/beast|boost/json|sqlite3\\.h|storage/|daemon/)"
             "routing must stay pure: no I/O, SQL, JSON or other modules")
check_folder(storage "[<\"](boost/asio|boost/beast|daemon/)" "storage must not use Asio, Beast or daemon/")

list(LENGTH violations count)
if(count GREATER 0)
  string(REPLACE ";" "\n  " listed "${violations}")
  message(FATAL_ERROR "layering violated (${count}):\n  ${listed}")
endif()
message(STATUS "layering OK")
