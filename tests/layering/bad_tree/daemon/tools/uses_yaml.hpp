// yaml-cpp outside config/: the layering check must refuse this.
#pragma once
#include <yaml-cpp/yaml.h>
