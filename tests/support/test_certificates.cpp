#include "support/test_certificates.hpp"

#include <fstream>
#include <stdexcept>
#include <vector>

#include "support/daemon_process.hpp"

namespace hotline::test {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_command("/usr/bin/env", argv);
  if (r.status != 0) throw std::runtime_error("openssl " + args.front() + " failed:\n" + r.out + r.err);
}

}  // namespace

TestCertificates make_test_certificates(const std::string& dir, const std::string& names) {
  TestCertificates out{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
  const std::vector<std::string> p256{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  auto ca = p256;
  ca.insert(ca.begin(), {"req", "-x509"});
  ca.insert(ca.end(), {"-keyout", dir + "/ca.key", "-out", out.ca_file, "-days", "2", "-subj", "/CN=hotline test CA",
                       "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"});
  openssl(ca);
  auto csr = p256;
  csr.insert(csr.begin(), "req");
  csr.insert(csr.end(), {"-keyout", out.key_file, "-out", dir + "/server.csr", "-subj", "/CN=localhost"});
  openssl(csr);
  std::ofstream(dir + "/server.ext") << "subjectAltName=" << names
                                     << "\n"
                                        "basicConstraints=CA:FALSE\n"
                                        "extendedKeyUsage=serverAuth\n";
  openssl({"x509", "-req", "-in", dir + "/server.csr", "-CA", out.ca_file, "-CAkey", dir + "/ca.key", "-CAcreateserial",
           "-out", out.cert_file, "-days", "2", "-extfile", dir + "/server.ext"});
  return out;
}

}  // namespace hotline::test
