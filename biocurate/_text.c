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
#define FLAG_IDENTITY 8

/* normalise_utf8(text, flags, single, offsets, expansions) -> bytes | None
 *
 * text: a str, or bytes holding UTF-8.
 * The tables (see CharTables in biocurate/mix/normalise.py), per BMP code point cp:
 * flags[cp] (65536 bytes): FLAG_SAFE when cp's normalised form does not depend on its
 * neighbours; then FLAG_SPACE when that form is one whitespace character, FLAG_EXPAND when
 * it is the UTF-8 bytes expansions[offsets[k]:offsets[k + 1]] with k = single[cp] (ASCII
 * space is their only whitespace), else it is the one character single[cp] (native uint16),
 * with FLAG_IDENTITY when that character is cp itself (UTF-8 input is then copied as is).
 * Returns the UTF-8 of the normalised text (whitespace runs collapsed to one space, none at
 * either end) when every character is safe, else None: the caller takes the general route
 * (also for characters beyond the BMP and for bytes that are not UTF-8).
 */
typedef struct {
    const uint8_t *flags;
    const uint16_t *single;
    const uint32_t *offsets;
    Py_ssize_t expansions_count;
    const uint8_t *expansions;
    size_t expansions_len;
    char *out;
    size_t len, capacity;
    int pending_space; /* a run of spaces becomes one space, and only between two words */
} Normaliser;

enum { PUT_OK = 0, PUT_UNSAFE = 1, PUT_ERROR = -1 };

static inline void
put_byte(Normaliser *n, char byte)
{
    if (n->pending_space) {
        n->out[n->len++] = ' ';
        n->pending_space = 0;
    }
    n->out[n->len++] = byte;
}

/* Append the normalised form of cp; `left` bounds the characters still to come (each needs
 * at most 3 bytes, which the buffer always has room for). */
static inline int
put(Normaliser *n, Py_UCS4 cp, size_t left)
{
    if (cp >= BMP)
        return PUT_UNSAFE;
    uint8_t f = n->flags[cp];
    if (!(f & FLAG_SAFE))
        return PUT_UNSAFE;
    if (f & FLAG_SPACE) {
        n->pending_space |= n->len > 0;
        return PUT_OK;
    }
    if (f & FLAG_EXPAND) {
        uint16_t k = n->single[cp];
        if (k >= n->expansions_count || n->offsets[k] > n->offsets[k + 1] || n->offsets[k + 1] > n->expansions_len) {
            PyErr_SetString(PyExc_ValueError, "normalise_utf8: expansion out of range");
            return PUT_ERROR;
        }
        size_t needed = n->len + 2 * (n->offsets[k + 1] - n->offsets[k]) + 3 * left + 1;
        if (needed > n->capacity) {
            size_t capacity = needed > 2 * n->capacity ? needed : 2 * n->capacity;
            char *grown = PyMem_Realloc(n->out, capacity);
            if (grown == NULL) {
                PyErr_NoMemory();
                return PUT_ERROR;
            }
            n->out = grown;
            n->capacity = capacity;
        }
        for (uint32_t j = n->offsets[k]; j < n->offsets[k + 1]; j++) {
            if (n->expansions[j] == ' ')
                n->pending_space |= n->len > 0;
            else
                put_byte(n, (char)n->expansions[j]);
        }
        return PUT_OK;
    }
    uint16_t m = n->single[cp];
    if (m < 0x80) {
        put_byte(n, (char)m);
    } else if (m < 0x800) {
        put_byte(n, (char)(0xC0 | (m >> 6)));
        n->out[n->len++] = (char)(0x80 | (m & 0x3F));
    } else {
        put_byte(n, (char)(0xE0 | (m >> 12)));
        n->out[n->len++] = (char)(0x80 | ((m >> 6) & 0x3F));
        n->out[n->len++] = (char)(0x80 | (m & 0x3F));
    }
    return PUT_OK;
}

/* Feed a str; PUT_UNSAFE for a character beyond the BMP. */
static int
feed_str(Normaliser *n, PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    if (kind == PyUnicode_4BYTE_KIND)
        return PUT_UNSAFE;
    for (Py_ssize_t i = 0; i < size; i++) {
        int status = put(n, PyUnicode_READ(kind, data, i), (size_t)(size - i - 1));
        if (status != PUT_OK)
            return status;
    }
    return PUT_OK;
}

/* Feed UTF-8 bytes; PUT_UNSAFE for a 4-byte sequence (beyond the BMP) or bytes that are not UTF-8. */
static int
feed_utf8(Normaliser *n, const uint8_t *p, size_t size)
{
    const uint8_t *end = p + size;
    const uint8_t *flags = n->flags;
    while (p < end) {
        /* most characters normalise to themselves: copy their bytes (a run of ASCII at once) */
        if (p[0] < 0x80 && (flags[p[0]] & FLAG_IDENTITY)) {
            if (n->pending_space) {
                n->out[n->len++] = ' ';
                n->pending_space = 0;
            }
            do
                n->out[n->len++] = (char)*p++;
            while (p < end && p[0] < 0x80 && (flags[p[0]] & FLAG_IDENTITY));
            continue;
        }
        Py_UCS4 cp;
        size_t width;
        uint8_t b = p[0];
        if (b < 0x80) {
            cp = b;
            width = 1;
        } else if ((b & 0xE0) == 0xC0 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
            cp = ((Py_UCS4)(b & 0x1F) << 6) | (p[1] & 0x3F);
            if (cp < 0x80)
                return PUT_UNSAFE; /* overlong */
            width = 2;
        } else if ((b & 0xF0) == 0xE0 && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((Py_UCS4)(b & 0x0F) << 12) | ((Py_UCS4)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                return PUT_UNSAFE; /* overlong or a surrogate */
            width = 3;
        } else {
            return PUT_UNSAFE;
        }
        if ((flags[cp] & (FLAG_SAFE | FLAG_IDENTITY)) == (FLAG_SAFE | FLAG_IDENTITY)) {
            if (n->pending_space) {
                n->out[n->len++] = ' ';
                n->pending_space = 0;
            }
            for (size_t j = 0; j < width; j++)
                n->out[n->len++] = (char)p[j];
            p += width;
            continue;
        }
        p += width;
        int status = put(n, cp, (size_t)(end - p));
        if (status != PUT_OK)
            return status;
    }
    return PUT_OK;
}

static PyObject *
normalise_utf8(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    Py_buffer flags_buf, single_buf, offsets_buf, expansions_buf;
    if (!PyArg_ParseTuple(args, "Oy*y*y*y*", &text, &flags_buf, &single_buf, &offsets_buf, &expansions_buf))
        return NULL;
    PyObject *result = NULL;
    Normaliser n = {0};
    if (flags_buf.len != BMP || single_buf.len != 2 * BMP || offsets_buf.len < 4 || offsets_buf.len % 4) {
        PyErr_SetString(PyExc_ValueError, "normalise_utf8: tables of the wrong size");
        goto done;
    }
    int is_str = PyUnicode_Check(text);
    if (!is_str && !PyBytes_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "normalise_utf8: text must be str or bytes");
        goto done;
    }
    n.flags = (const uint8_t *)flags_buf.buf;
    n.single = (const uint16_t *)single_buf.buf;
    n.offsets = (const uint32_t *)offsets_buf.buf;
    n.expansions_count = offsets_buf.len / 4 - 1;
    n.expansions = (const uint8_t *)expansions_buf.buf;
    n.expansions_len = (size_t)expansions_buf.len;
    size_t units = is_str ? (size_t)PyUnicode_GET_LENGTH(text) : (size_t)PyBytes_GET_SIZE(text);
    n.capacity = 3 * units + 1;
    n.out = PyMem_Malloc(n.capacity);
    if (n.out == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int status = is_str ? feed_str(&n, text)
                        : feed_utf8(&n, (const uint8_t *)PyBytes_AS_STRING(text), units);
    if (status == PUT_OK)
        result = PyBytes_FromStringAndSize(n.out, (Py_ssize_t)n.len);
    else if (status == PUT_UNSAFE)
        result = Py_NewRef(Py_None);
done:
    PyMem_Free(n.out);
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
     "normalise_utf8(text, flags, single, offsets, expansions) -> bytes | None: UTF-8 of the normalised text (text: str or UTF-8 bytes), None when a character needs the general route."},
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
