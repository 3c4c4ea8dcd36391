// Beast outside the HTTP folders: the layering check must refuse this.
#pragma once
#include <boost/beast/http.hpp>
