// Throwaway TLS certificates for tests: a fresh CA and a server certificate for 127.0.0.1 and localhost, made by
// the openssl command line into a directory at test time (no private key is ever committed). Test-only.
#pragma once

#include <string>

namespace hotline::test {

struct TestCertificates {
  std::string ca_file;    // PEM: the CA certificate to trust
  std::string cert_file;  // PEM: the server certificate, signed by the CA (for `names`)
  std::string key_file;   // PEM: the server's private key
};

// Writes the files into `dir` (an existing directory, e.g. a TempDir); `names` is the server certificate's
// subjectAltName. Throws std::runtime_error with openssl's output when it fails.
TestCertificates make_test_certificates(const std::string& dir,
                                        const std::string& names = "IP:127.0.0.1,DNS:localhost");

}  // namespace hotline::test
