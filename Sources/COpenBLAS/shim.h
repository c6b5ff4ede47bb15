// The system OpenBLAS (Debian: libopenblas-dev). MiniTorch uses cblas_sgemm and the thread setters.
#include <cblas.h>
