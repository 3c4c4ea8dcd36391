// Test fixture for the layering check: a routing header that must be rejected. Never compiled.
#pragma once
#include <boost/asio/io_context.hpp>
