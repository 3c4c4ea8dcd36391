# The Debian package: CMake's install rules, and CPack's DEB generator over them (packaging/build-deb.sh).
#
# CPack rather than a debhelper tree: the package holds exactly the programs the presets build and the tests ran,
# with one description of what goes where (these install rules), and no second build system to keep in step.
# What debhelper would add is written out in packaging/deb/: the maintainer scripts (the hotline user, the
# systemd units, purge), the conffile list, copyright and changelog. Depends are computed by dpkg-shlibdeps
# (CPACK_DEBIAN_PACKAGE_SHLIBDEPS), as ${shlibs:Depends} would be.
include(GNUInstallDirs)

install(TARGETS hotlined RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(TARGETS hotlinectl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The shipped rules, golden cases included (a reload runs them); not the generator scripts of rules/tools.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hotline/rules
        PATTERN tools EXCLUDE)

# /etc/hotline/hotline.yaml when the prefix is /usr (GNUInstallDirs puts SYSCONFDIR at /etc then).
install(FILES ${PROJECT_SOURCE_DIR}/packaging/hotline.yaml DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/hotline)

# Debian 12 keeps packaged units in /lib/systemd/system.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(hotline_unit_dir /lib/systemd/system)
else()
  set(hotline_unit_dir ${CMAKE_INSTALL_LIBDIR}/systemd/system)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/hotline.service
              ${PROJECT_SOURCE_DIR}/packaging/systemd/hotline-backup.service
              ${PROJECT_SOURCE_DIR}/packaging/systemd/hotline-backup.timer
        DESTINATION ${hotline_unit_dir})

# Man pages (roff sources in packaging/man) and the changelog, compressed as Debian policy wants (gzip -9n: no
# name or time stamp, so the same source gives the same bytes).
set(hotline_gzipped "")
foreach(source man/hotlined.8 man/hotlinectl.1 deb/changelog ../README.md)
  get_filename_component(name ${source} NAME)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/packaging/${name}.gz)
  add_custom_command(OUTPUT ${output}
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/packaging
                     COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/${source} > ${output}
                     DEPENDS ${PROJECT_SOURCE_DIR}/packaging/${source} VERBATIM)
  list(APPEND hotline_gzipped ${output})
endforeach()
add_custom_target(hotline_package_docs ALL DEPENDS ${hotline_gzipped})
set(hotline_out ${CMAKE_CURRENT_BINARY_DIR}/packaging)
install(FILES ${hotline_out}/hotlined.8.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${hotline_out}/hotlinectl.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${hotline_out}/changelog.gz ${hotline_out}/README.md.gz ${PROJECT_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hotline)
set(CPACK_PACKAGE_VENDOR "hotline developers")
set(CPACK_PACKAGE_CONTACT "hotline developers <hotline@zhangzhou12345.org.cn>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "case routing for a 12345 citizen service hotline")
# The extended description (CPack puts the summary above it and indents each line; an empty line becomes " .").
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "hotlined turns a citizen's call or message into a ticket, decides which of
the linked units (city departments, county and township governments,
utilities) must handle it, tracks the sign-for and completion deadlines in
working days (statutory holidays and make-up working days included), warns
and escalates late tickets, and writes the nightly escalation report.

It serves an HTTP API and a web terminal for operators, the units' liaison
officers and supervisors. hotlinectl manages tokens, accounts, rules and
backups.")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
