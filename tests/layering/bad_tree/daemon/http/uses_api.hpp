// The transport reaching up into the endpoints: the layering check must refuse this.
#pragma once
#include "daemon/api/api.hpp"
