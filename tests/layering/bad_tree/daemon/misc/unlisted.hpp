// A folder the level table does not list: the layering check must refuse it.
#pragma once
