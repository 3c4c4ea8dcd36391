# Fails when a file includes what its layer forbids:
#   routing/  no Asio, Beast, Boost.JSON, SQLite, storage/ or daemon/ (it is pure);
#   storage/  no Asio, Beast or daemon/;
#   daemon/   every folder is in the level table (daemon/layers.cmake) and includes only folders on lower levels;
#             Beast, yaml-cpp and CLI11 only in the folders the table names; no SQLite outside storage/; only
#             runtime/ reads std::chrono::system_clock::now().
# Usage: cmake -DSOURCE_DIR=<tree> -DLAYERS=<daemon/layers.cmake> -P check_layering.cmake
cmake_policy(VERSION 3.25)
if(NOT SOURCE_DIR OR NOT LAYERS)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<source tree> -DLAYERS=<level table>")
endif()
include("${LAYERS}")

set(violations "")
function(sources_of folder out)
  file(GLOB_RECURSE found "${SOURCE_DIR}/${folder}/*.hpp" "${SOURCE_DIR}/${folder}/*.cpp" "${SOURCE_DIR}/${folder}/*.h"
       "${SOURCE_DIR}/${folder}/*.in")
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

function(check_folder folder pattern why)
  sources_of(${folder} sources)
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

# The daemon's level table: folder -> level.
set(table "${HOTLINE_DAEMON_LAYERS}")
set(known "")
while(table)
  list(POP_FRONT table folder level)
  set(level_of_${folder} ${level})
  list(APPEND known ${folder})
endwhile()

# No file straight under daemon/ but the build files, and no folder missing from the table.
file(GLOB entries RELATIVE "${SOURCE_DIR}/daemon" "${SOURCE_DIR}/daemon/*")
foreach(entry IN LISTS entries)
  if(IS_DIRECTORY "${SOURCE_DIR}/daemon/${entry}")
    if(NOT entry IN_LIST known)
      list(APPEND violations "daemon/${entry}/: a folder missing from the level table (daemon/layers.cmake)")
    endif()
  elseif(entry MATCHES "\\.(hpp|cpp|h)$")
    list(APPEND violations "daemon/${entry}: code outside the daemon's folders")
  endif()
endforeach()

string(REPLACE ";" ", " beast_folders "${HOTLINE_BEAST_FOLDERS}")
string(REPLACE ";" ", " yaml_folders "${HOTLINE_YAML_FOLDERS}")
string(REPLACE ";" ", " cli_folders "${HOTLINE_CLI_FOLDERS}")
foreach(folder IN LISTS known)
  set(level ${level_of_${folder}})
  # Folders on the same or a higher level.
  set(forbidden "")
  foreach(other IN LISTS known)
    if(NOT other STREQUAL folder AND NOT level_of_${other} LESS level)
      list(APPEND forbidden ${other})
    endif()
  endforeach()
  if(forbidden)
    string(REPLACE ";" "|" alternatives "${forbidden}")
    check_folder(daemon/${folder} "[<\"]daemon/(${alternatives})/"
                 "daemon/${folder} is on level ${level}: it may include only folders below it")
  endif()
  check_folder(daemon/${folder} "[<\"]daemon/[a-z_]+\\.(hpp|h)\"" "include a folder's header, not daemon/*.hpp")
  check_folder(daemon/${folder} "[<\"]sqlite3\\.h" "SQLite is storage/'s")
  if(NOT folder IN_LIST HOTLINE_BEAST_FOLDERS)
    check_folder(daemon/${folder} "[<\"]boost/beast" "Beast only in: ${beast_folders}")
  endif()
  if(NOT folder IN_LIST HOTLINE_YAML_FOLDERS)
    check_folder(daemon/${folder} "[<\"]yaml-cpp/" "yaml-cpp only in routing/ and: ${yaml_folders}")
  endif()
  if(NOT folder IN_LIST HOTLINE_CLI_FOLDERS)
    check_folder(daemon/${folder} "[<\"]CLI/" "CLI11 only in: ${cli_folders}")
  endif()
  if(NOT folder STREQUAL "app")
    check_folder(daemon/${folder} "[<\"]systemd/" "libsystemd (sd_notify) only in app/, which runs the process")
  endif()
endforeach()

# Time is injected: only runtime/ reads the system clock (handlers and timer loops are handed a SchedulerClock).
foreach(folder IN LISTS known)
  if(folder STREQUAL "runtime")
    continue()
  endif()
  sources_of(daemon/${folder} sources)
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" lines REGEX "system_clock::now")
    foreach(line IN LISTS lines)
      file(RELATIVE_PATH rel "${SOURCE_DIR}" "${source}")
      string(STRIP "${line}" line)
      list(APPEND violations "${rel}: ${line}  (only runtime/ reads the system clock; use the SchedulerClock)")
    endforeach()
  endforeach()
endforeach()

list(LENGTH violations count)
if(count GREATER 0)
  string(REPLACE ";" "\n  " listed "${violations}")
  message(FATAL_ERROR "layering violated (${count}):\n  ${listed}")
endif()
message(STATUS "layering OK")
