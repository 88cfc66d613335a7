/* Optional C speed-ups for biocurate's text hot paths (pure-Python equivalents in
 * biocurate/mix/normalise.py and biocurate/loaders/formats/chat.py are used when this module
 * is not built).
 *
 * Both functions are table-driven: every Unicode decision (which characters are safe to
 * normalise one by one, their lowercase, which are spaces, which are CJK) is made in Python
 * from `unicodedata` and `str` methods and handed over as lookup tables, so this file only
 * loops.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define BMP 0x10000
#define FLAG_SAFE 1
#define FLAG_SPACE 2
#define FLAG_EXPAND 4

/* normalise_utf8(text, flags, single, offsets, expansions) -> bytes | None
 *
 * The tables (see CharTables in biocurate/mix/normalise.py), per BMP code point cp:
 * flags[cp] (65536 bytes): FLAG_SAFE when cp's normalised form does not depend on its
 * neighbours; then FLAG_SPACE when that form is one whitespace character, FLAG_EXPAND when
 * it is the UTF-8 bytes expansions[offsets[k]:offsets[k + 1]] with k = single[cp] (ASCII
 * space is their only whitespace), else it is the one character single[cp] (native uint16).
 * Returns the UTF-8 of the normalised text (whitespace runs collapsed to one space, none at
 * either end) when every character is safe, else None: the caller takes the general route.
 */
static PyObject *
normalise_utf8(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    Py_buffer flags_buf, single_buf, offsets_buf, expansions_buf;
    if (!PyArg_ParseTuple(args, "Uy*y*y*y*", &text, &flags_buf, &single_buf, &offsets_buf, &expansions_buf))
        return NULL;
    PyObject *result = NULL;
    char *out = NULL;
    if (flags_buf.len != BMP || single_buf.len != 2 * BMP || offsets_buf.len < 4 || offsets_buf.len % 4) {
        PyErr_SetString(PyExc_ValueError, "normalise_utf8: tables of the wrong size");
        goto done;
    }
    const uint8_t *flags = (const uint8_t *)flags_buf.buf;
    const uint16_t *single = (const uint16_t *)single_buf.buf;
    const uint32_t *offsets = (const uint32_t *)offsets_buf.buf;
    Py_ssize_t expansions_count = offsets_buf.len / 4 - 1;
    const uint8_t *expansions = (const uint8_t *)expansions_buf.buf;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (kind == PyUnicode_4BYTE_KIND) { /* a character beyond the BMP */
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* room for 3 UTF-8 bytes per character still to come; an expansion may need more */
    size_t capacity = 3 * (size_t)n + 1;
    out = PyMem_Malloc(capacity);
    if (out == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t len = 0;
    int pending_space = 0; /* a run of spaces becomes one space, and only between two words */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        uint8_t f = flags[cp];
        if (!(f & FLAG_SAFE)) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        if (f & FLAG_SPACE) {
            pending_space |= len > 0;
            continue;
        }
        if (f & FLAG_EXPAND) {
            uint16_t k = single[cp];
            if (k >= expansions_count || offsets[k] > offsets[k + 1] || offsets[k + 1] > (size_t)expansions_buf.len) {
                PyErr_SetString(PyExc_ValueError, "normalise_utf8: expansion out of range");
                goto done;
            }
            size_t needed = (size_t)len + (offsets[k + 1] - offsets[k]) + 1 + 3 * (size_t)(n - i - 1) + 1;
            if (needed > capacity) {
                capacity = needed > 2 * capacity ? needed : 2 * capacity;
                char *grown = PyMem_Realloc(out, capacity);
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                out = grown;
            }
            for (uint32_t j = offsets[k]; j < offsets[k + 1]; j++) {
                if (expansions[j] == ' ') {
                    pending_space |= len > 0;
                    continue;
                }
                if (pending_space) {
                    out[len++] = ' ';
                    pending_space = 0;
                }
                out[len++] = (char)expansions[j];
            }
            continue;
        }
        if (pending_space) {
            out[len++] = ' ';
            pending_space = 0;
        }
        uint16_t m = single[cp];
        if (m < 0x80) {
            out[len++] = (char)m;
        } else if (m < 0x800) {
            out[len++] = (char)(0xC0 | (m >> 6));
            out[len++] = (char)(0x80 | (m & 0x3F));
        } else {
            out[len++] = (char)(0xE0 | (m >> 12));
            out[len++] = (char)(0x80 | ((m >> 6) & 0x3F));
            out[len++] = (char)(0x80 | (m & 0x3F));
        }
    }
    result = PyBytes_FromStringAndSize(out, len);
done:
    PyMem_Free(out);
    PyBuffer_Release(&flags_buf);
    PyBuffer_Release(&single_buf);
    PyBuffer_Release(&offsets_buf);
    PyBuffer_Release(&expansions_buf);
    return result;
}

/* class_counts(text, table, classes) -> tuple of `classes` ints
 *
 * table: one byte per code point (0x110000 bytes); returns how many characters of the text
 * have each class value 0 .. classes-1 (values >= classes are not counted).
 */
static PyObject *
class_counts(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    Py_buffer table_buf;
    int classes;
    if (!PyArg_ParseTuple(args, "Uy*i", &text, &table_buf, &classes))
        return NULL;
    PyObject *result = NULL;
    if (table_buf.len != 0x110000 || classes < 1 || classes > 256) {
        PyErr_SetString(PyExc_ValueError, "table must have 0x110000 bytes and classes be in 1..256");
        goto done;
    }
    const uint8_t *table = (const uint8_t *)table_buf.buf;
    Py_ssize_t counts[256] = {0};
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++)
        counts[table[PyUnicode_READ(kind, data, i)]]++;
    result = PyTuple_New(classes);
    if (result == NULL)
        goto done;
    for (int c = 0; c < classes; c++) {
        PyObject *value = PyLong_FromSsize_t(counts[c]);
        if (value == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyTuple_SET_ITEM(result, c, value);
    }
done:
    PyBuffer_Release(&table_buf);
    return result;
}

static PyMethodDef methods[] = {
    {"normalise_utf8", normalise_utf8, METH_VARARGS,
     "normalise_utf8(text, flags, single, offsets, expansions) -> bytes | None: UTF-8 of the normalised text, None when a character needs the general route."},
    {"class_counts", class_counts, METH_VARARGS,
     "class_counts(text, table, classes) -> tuple: how many characters of each class value."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "biocurate._text", "C loops for biocurate.mix.normalise and language detection (optional build).", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__text(void)
{
    return PyModule_Create(&module);
}
