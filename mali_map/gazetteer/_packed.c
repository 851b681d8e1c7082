/*
 * The stored answers' batch reader, compiled: PackedAnswers.resolve's loop (answers.py) in C.
 *
 * A distinct-name geocode_many spends most of its time, in Python, on the interpreter's own work
 * for each name: lower-casing it, hashing it, unpacking its record, checking the key and setting
 * fifteen fields of a new Place. This module does that loop in C over the same blob, with the
 * same rules, and makes each Place as the dataclass's constructor makes it (object.__new__, then
 * each field set in order through object.__setattr__). Every answer is the one the Python loop
 * gives, field for field and byte for byte when pickled (tests/test_answers.py checks both loops
 * against the full ranking).
 *
 * What it does not find by the query's lower-cased form (a name stored under another key, a
 * query with context, a name with no stored answer) it hands back, in order, for the Python
 * loop, which knows the other ways in.
 *
 * Built by hatch_build.py when the package is installed; when no compiler is at hand the
 * package runs the Python loop instead (answers.COMPILED is None).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* The packed layout this reader knows: answers.PACK_FORMAT and the size of answers._RECORD. */
#define LAYOUT 4
#define RECORD_SIZE 64

/* Where each field of a record lies (answers._RECORD, "<iddddqIIIIi", no padding). */
#define AT_PLACE_ID 0
#define AT_LAT 4
#define AT_LON 12
#define AT_CONFIDENCE 20
#define AT_RADIUS 28
#define AT_POPULATION 36
#define AT_KEY_START 44
#define AT_NAME_START 48
#define AT_NAME_END 52
#define AT_COMBINATION 56
#define AT_EXTRA 60

/* Place's fields, in the dataclass's order (the order its constructor sets them). */
enum {
    F_NAME, F_LAT, F_LON, F_COUNTRY_CODE, F_ADMIN1, F_FEATURE, F_POPULATION, F_SOURCE, F_CONFIDENCE,
    F_RADIUS_KM, F_SPREAD_KM, F_ALTERNATIVES, F_QUERY, F_PLACE_ID, F_REGION_MISMATCH, FIELD_COUNT
};
static const char *FIELD_NAMES[FIELD_COUNT] = {
    "name", "lat", "lon", "country_code", "admin1", "feature", "population", "source", "confidence",
    "radius_km", "spread_km", "alternatives", "query", "place_id", "region_mismatch",
};
static PyObject *field_names[FIELD_COUNT];
static PyObject *empty_tuple;
static PyObject *str_lower; /* the method descriptor str.lower: the same call, and errors, as map(str.lower, ...) */
static uint32_t crc_table[256];

/* CRC-32 (the polynomial zlib.crc32 uses, reflected), so a key finds the slot answers._slot_of gives it. */
static void crc_table_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[n] = c;
    }
}

static uint32_t crc32_of(const char *bytes, Py_ssize_t size)
{
    uint32_t c = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < size; i++) {
        c = crc_table[(c ^ (unsigned char)bytes[i]) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

static int32_t read_i32(const char *at) { int32_t v; memcpy(&v, at, 4); return v; }
static uint32_t read_u32(const char *at) { uint32_t v; memcpy(&v, at, 4); return v; }
static int64_t read_i64(const char *at) { int64_t v; memcpy(&v, at, 8); return v; }
static double read_f64(const char *at) { double v; memcpy(&v, at, 8); return v; }

/* Whether text[start:end] is key, character for character. */
static int same_text(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *key)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(key);
    if (end - start != length) {
        return 0;
    }
    int text_kind = PyUnicode_KIND(text), key_kind = PyUnicode_KIND(key);
    const void *text_data = PyUnicode_DATA(text), *key_data = PyUnicode_DATA(key);
    for (Py_ssize_t i = 0; i < length; i++) {
        if (PyUnicode_READ(text_kind, text_data, start + i) != PyUnicode_READ(key_kind, key_data, i)) {
            return 0;
        }
    }
    return 1;
}

/* The stored blob, as PackedAnswers holds it. */
typedef struct {
    const char *records;
    Py_ssize_t records_size;
    PyObject *text;
    Py_ssize_t text_length;
    const int32_t *table;
    uint32_t mask;
    PyObject *combinations;
} Blob;

/* The offset of key's record: the table from the key's slot on, to a free slot (answers._find); -1 if none. */
static Py_ssize_t find(const Blob *blob, PyObject *key)
{
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(key, &size);
    if (utf8 == NULL) {
        return -2;
    }
    uint32_t slot = crc32_of(utf8, size) & blob->mask;
    for (int32_t at = blob->table[slot]; at >= 0; at = blob->table[slot]) {
        if ((Py_ssize_t)at + RECORD_SIZE > blob->records_size) {
            PyErr_SetString(PyExc_ValueError, "stored answers: a hash table entry points past the records");
            return -2;
        }
        const char *record = blob->records + at;
        uint32_t start = read_u32(record + AT_KEY_START), middle = read_u32(record + AT_NAME_START);
        if (start > middle || middle > blob->text_length) {
            PyErr_SetString(PyExc_ValueError, "stored answers: a key lies outside the text");
            return -2;
        }
        if (same_text(blob->text, start, middle, key)) {
            return at;
        }
        slot = (slot + 1) & blob->mask;
    }
    return -1;
}

/* Set one field the way object.__setattr__ does (a frozen dataclass's constructor does the same); steals value. */
static int set_field(PyObject *place, int field, PyObject *value)
{
    if (value == NULL) {
        return -1;
    }
    int failed = PyObject_GenericSetAttr(place, field_names[field], value);
    Py_DECREF(value);
    return failed;
}

/* The Place of the record at ``record`` for ``query``: a new reference, or NULL with an error set. */
static PyObject *make_place(const Blob *blob, const char *record, PyObject *query, PyTypeObject *place_type,
                            PyObject *no_extra, PyObject *extras_read, PyObject *read_extra)
{
    uint32_t name_start = read_u32(record + AT_NAME_START), name_end = read_u32(record + AT_NAME_END);
    uint32_t combination = read_u32(record + AT_COMBINATION);
    int32_t extra = read_i32(record + AT_EXTRA);
    int64_t population = read_i64(record + AT_POPULATION);
    if (name_start > name_end || name_end > blob->text_length) {
        PyErr_SetString(PyExc_ValueError, "stored answers: a name lies outside the text");
        return NULL;
    }
    if (combination >= (uint32_t)PyList_GET_SIZE(blob->combinations)) {
        PyErr_SetString(PyExc_ValueError, "stored answers: a record names no combination of strings");
        return NULL;
    }
    PyObject *strings = PyList_GET_ITEM(blob->combinations, combination); /* (country, region, feature, source) */
    if (!PyTuple_Check(strings) || PyTuple_GET_SIZE(strings) != 4) {
        PyErr_SetString(PyExc_TypeError, "stored answers: a combination of strings is not a 4-tuple");
        return NULL;
    }
    PyObject *extras = Py_NewRef(no_extra); /* (spread, region mismatch, alternatives) */
    if (extra >= 0) {
        Py_DECREF(extras);
        PyObject *index = PyLong_FromLong(extra);
        if (index == NULL) {
            return NULL;
        }
        extras = Py_XNewRef(PyDict_GetItemWithError(extras_read, index));
        if (extras == NULL && !PyErr_Occurred()) {
            extras = PyObject_CallOneArg(read_extra, index); /* PackedAnswers._extra, which keeps it in extras_read */
        }
        Py_DECREF(index);
        if (extras == NULL) {
            return NULL;
        }
    }
    if (!PyTuple_Check(extras) || PyTuple_GET_SIZE(extras) != 3) {
        Py_DECREF(extras);
        PyErr_SetString(PyExc_TypeError, "stored answers: an answer's extras are not a 3-tuple");
        return NULL;
    }
    Py_INCREF(strings);
    PyObject *place = PyBaseObject_Type.tp_new(place_type, empty_tuple, NULL); /* object.__new__(Place) */
    if (place == NULL
        || set_field(place, F_NAME, PyUnicode_Substring(blob->text, name_start, name_end)) < 0
        || set_field(place, F_LAT, PyFloat_FromDouble(read_f64(record + AT_LAT))) < 0
        || set_field(place, F_LON, PyFloat_FromDouble(read_f64(record + AT_LON))) < 0
        || set_field(place, F_COUNTRY_CODE, Py_NewRef(PyTuple_GET_ITEM(strings, 0))) < 0
        || set_field(place, F_ADMIN1, Py_NewRef(PyTuple_GET_ITEM(strings, 1))) < 0
        || set_field(place, F_FEATURE, Py_NewRef(PyTuple_GET_ITEM(strings, 2))) < 0
        || set_field(place, F_POPULATION, population < 0 ? Py_NewRef(Py_None) : PyLong_FromLongLong(population)) < 0
        || set_field(place, F_SOURCE, Py_NewRef(PyTuple_GET_ITEM(strings, 3))) < 0
        || set_field(place, F_CONFIDENCE, PyFloat_FromDouble(read_f64(record + AT_CONFIDENCE))) < 0
        || set_field(place, F_RADIUS_KM, PyFloat_FromDouble(read_f64(record + AT_RADIUS))) < 0
        || set_field(place, F_SPREAD_KM, Py_NewRef(PyTuple_GET_ITEM(extras, 0))) < 0
        || set_field(place, F_ALTERNATIVES, Py_NewRef(PyTuple_GET_ITEM(extras, 2))) < 0
        || set_field(place, F_QUERY, Py_NewRef(query)) < 0
        || set_field(place, F_PLACE_ID, PyLong_FromLong(read_i32(record + AT_PLACE_ID))) < 0
        || set_field(place, F_REGION_MISMATCH, Py_NewRef(PyTuple_GET_ITEM(extras, 1))) < 0) {
        Py_CLEAR(place);
    }
    Py_DECREF(strings);
    Py_DECREF(extras);
    return place;
}

/* How many queries are looked up together: their memory reads are started for all of them first, so
 * that the waits for the hash table, the records and the text overlap instead of following each other. */
#define BLOCK 32

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void)(address))
#endif

/* Resolve queries[first:first + BLOCK] (see resolve): 0, or -1 with an error set. */
static int resolve_block(const Blob *blob, PyObject *queries, Py_ssize_t first, PyObject *missed, PyObject *memo,
                         PyTypeObject *place_type, PyObject *no_extra, PyObject *extras_read, PyObject *read_extra)
{
    PyObject *query[BLOCK], *key[BLOCK];
    const char *record[BLOCK];
    uint32_t slot[BLOCK];
    Py_ssize_t count = PyList_GET_SIZE(queries) - first;
    if (count > BLOCK) {
        count = BLOCK;
    }
    for (Py_ssize_t i = first + BLOCK; i < first + 2 * BLOCK && i < PyList_GET_SIZE(queries); i++) {
        PREFETCH(PyList_GET_ITEM(queries, i)); /* the next block's queries, read when they are lower-cased */
    }
    int failed = 0;
    Py_ssize_t made = 0; /* queries (and keys) held */
    for (; made < count; made++) { /* each key, and its slot of the hash table asked for */
        query[made] = Py_NewRef(PyList_GET_ITEM(queries, first + made));
        key[made] = PyObject_CallOneArg(str_lower, query[made]);
        Py_ssize_t size;
        const char *utf8 = key[made] == NULL ? NULL : PyUnicode_AsUTF8AndSize(key[made], &size);
        if (utf8 == NULL) {
            made++;
            failed = 1;
            break;
        }
        slot[made] = crc32_of(utf8, size) & blob->mask;
        PREFETCH(blob->table + slot[made]);
    }
    for (Py_ssize_t i = 0; i < count && !failed; i++) { /* the record in each slot asked for */
        int32_t at = blob->table[slot[i]];
        record[i] = at >= 0 && (Py_ssize_t)at + RECORD_SIZE <= blob->records_size ? blob->records + at : NULL;
        if (record[i] != NULL) {
            PREFETCH(record[i]);
            PREFETCH(record[i] + RECORD_SIZE - 1);
        }
    }
    for (Py_ssize_t i = 0; i < count && !failed; i++) { /* the key and name of each such record asked for */
        if (record[i] != NULL) {
            uint32_t start = read_u32(record[i] + AT_KEY_START);
            if (start < blob->text_length) {
                PREFETCH((const char *)PyUnicode_DATA(blob->text) + (size_t)start * PyUnicode_KIND(blob->text));
            }
            uint32_t combination = read_u32(record[i] + AT_COMBINATION);
            if (combination < (uint32_t)PyList_GET_SIZE(blob->combinations)) {
                PREFETCH(PyList_GET_ITEM(blob->combinations, combination));
            }
        }
    }
    for (Py_ssize_t i = 0; i < count && !failed; i++) { /* then each answer */
        Py_ssize_t at = find(blob, key[i]);
        if (at == -2) {
            failed = 1;
        } else if (at == -1) {
            failed = PyList_Append(missed, query[i]) < 0;
        } else {
            PyObject *place =
                make_place(blob, blob->records + at, query[i], place_type, no_extra, extras_read, read_extra);
            failed = place == NULL || PyDict_SetItem(memo, query[i], place) < 0;
            Py_XDECREF(place);
        }
    }
    for (Py_ssize_t i = 0; i < made; i++) {
        Py_DECREF(query[i]);
        Py_XDECREF(key[i]);
    }
    return failed ? -1 : 0;
}

/* resolve(queries, records, text, table, combinations, extras_read, read_extra, place_type, no_extra, memo)
 *
 * Put in memo the Place of each query whose lower-cased form is a stored key (or alias); return
 * the other queries, in order. The arguments are PackedAnswers' parts (see answers.py). */
static PyObject *resolve(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError, "resolve() takes 10 arguments");
        return NULL;
    }
    PyObject *queries = args[0], *records = args[1], *text = args[2], *table = args[3], *combinations = args[4];
    PyObject *extras_read = args[5], *read_extra = args[6], *place_type = args[7], *no_extra = args[8];
    PyObject *memo = args[9];
    if (!PyList_Check(queries) || !PyBytes_Check(records) || !PyUnicode_Check(text) || !PyList_Check(combinations)
        || !PyDict_Check(extras_read) || !PyType_Check(place_type) || !PyDict_Check(memo)) {
        PyErr_SetString(PyExc_TypeError, "resolve(): arguments of the wrong type");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(table, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    Py_ssize_t slots = view.len / 4;
    if (slots == 0 || (slots & (slots - 1)) != 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "stored answers: the hash table's size is not a power of two");
        return NULL;
    }
    Blob blob = {
        PyBytes_AS_STRING(records), PyBytes_GET_SIZE(records), text, PyUnicode_GET_LENGTH(text),
        (const int32_t *)view.buf, (uint32_t)(slots - 1), combinations,
    };
    PyObject *missed = PyList_New(0);
    if (missed == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    int failed = 0;
    for (Py_ssize_t first = 0; first < PyList_GET_SIZE(queries) && !failed; first += BLOCK) {
        failed = resolve_block(&blob, queries, first, missed, memo, (PyTypeObject *)place_type, no_extra,
                               extras_read, read_extra);
    }
    if (failed) {
        Py_CLEAR(missed);
    }
    PyBuffer_Release(&view);
    return missed;
}

static PyMethodDef methods[] = {
    {"resolve", (PyCFunction)(void (*)(void))resolve, METH_FASTCALL,
     "resolve(queries, records, text, table, combinations, extras_read, read_extra, place_type, no_extra, memo)"
     " -> the queries not found by their lower-cased form"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "_packed", "The stored answers' batch reader, compiled (see answers.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__packed(void)
{
#if PY_BIG_ENDIAN
    PyErr_SetString(PyExc_ImportError, "the packed answers are little-endian; this machine is not");
    return NULL;
#endif
    crc_table_init();
    for (int i = 0; i < FIELD_COUNT; i++) {
        field_names[i] = PyUnicode_InternFromString(FIELD_NAMES[i]);
        if (field_names[i] == NULL) {
            return NULL;
        }
    }
    empty_tuple = PyTuple_New(0);
    str_lower = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, "lower");
    if (empty_tuple == NULL || str_lower == NULL) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&module_definition);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(module, "LAYOUT", LAYOUT) < 0
        || PyModule_AddIntConstant(module, "RECORD_SIZE", RECORD_SIZE) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
