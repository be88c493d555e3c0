#include "exercise.h"
