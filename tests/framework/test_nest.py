"""tf.nest against TensorFlow 2.21: each expected result or error (class and message, with
newlines shown as "|") was recorded from TensorFlow by running the same expression."""

import collections

import numpy as np
import pytest

import eagerflow as tf

n = tf.nest
NT = collections.namedtuple("NT", "b a")
OD = collections.OrderedDict

CASES = [
    ('flatten None', lambda: n.flatten(None),
     '[None]'),
    ('flatten scalar', lambda: n.flatten(1),
     '[1]'),
    ('flatten str', lambda: n.flatten("ab"),
     "['ab']"),
    ('flatten nt', lambda: n.flatten(NT(1, 2)),
     '[1, 2]'),
    ('flatten od', lambda: n.flatten(OD([("b", 1), ("a", 2)])),
     '[2, 1]'),
    ('flatten dict', lambda: n.flatten({"b": 1, "a": [2, (3,)]}),
     '[2, 3, 1]'),
    ('flatten set', lambda: n.flatten({1, 2}),
     '[{1, 2}]'),
    ('flatten np', lambda: n.flatten(np.array([1, 2])),
     '[array([1, 2])]'),
    ('flatten empty', lambda: n.flatten([[], (), {}]),
     '[]'),
    ('flatten mixed keys', lambda: n.flatten({1: "a", "b": 2}),
     "ERR TypeError: '<' not supported between instances of 'str' and 'int'"),
    ('is_nested', lambda: [n.is_nested(x) for x in [[], (), {}, NT(1, 2), "s", np.array([1]), {1}, None, OD()]],
     '[True, True, True, True, False, False, False, False, True]'),
    ('pack nt', lambda: n.pack_sequence_as(NT(0, 0), [5, 6]),
     'NT(b=5, a=6)'),
    ('pack dict order', lambda: n.pack_sequence_as({"b": 0, "a": 0}, [1, 2]),
     "{'b': 2, 'a': 1}"),
    ('pack od', lambda: n.pack_sequence_as(OD([("b", 0), ("a", 0)]), [1, 2]),
     "OrderedDict([('b', 2), ('a', 1)])"),
    ('pack scalar', lambda: n.pack_sequence_as(0, [5]),
     '5'),
    ('pack scalar bad', lambda: n.pack_sequence_as(0, [5, 6]),
     "ERR ValueError: The target structure is of type `<class 'int'>`|  0|However the input is a sequence (<class 'list'>) of length 2.|  [5, 6]|nest cannot guarantee that it is safe to map one to the other."),
    ('pack too few', lambda: n.pack_sequence_as([0, 0], [5]),
     'ERR ValueError: Could not pack sequence. Structure had 2 atoms, but flat_sequence had 1 items.  Structure: [0, 0], flat_sequence: [5].'),
    ('pack too many', lambda: n.pack_sequence_as([0, 0], [5, 6, 7]),
     'ERR ValueError: Could not pack sequence. Structure had 2 atoms, but flat_sequence had 3 items.  Structure: [0, 0], flat_sequence: [5, 6, 7].'),
    ('pack not seq', lambda: n.pack_sequence_as([0], 5),
     "ERR TypeError: Attempted to pack value:|  5|into a structure, but found incompatible type `<class 'int'>` instead."),
    ('pack empty', lambda: n.pack_sequence_as([[], {}], []),
     '[[], {}]'),
    ('pack tuple from list', lambda: n.pack_sequence_as((0, [0]), (1, 2)),
     '(1, [2])'),
    ('map', lambda: n.map_structure(lambda a, b: a + b, {"x": 1, "y": (2,)}, {"y": (20,), "x": 10}),
     "{'x': 11, 'y': (22,)}"),
    ('map none leaf', lambda: n.map_structure(lambda a: a, [None, 1]),
     '[None, 1]'),
    ('map no struct', lambda: n.map_structure(lambda a: a),
     'ERR ValueError: Must provide at least one structure'),
    ('map bad kw', lambda: n.map_structure(lambda a: a, [1], foo=1),
     'ERR ValueError: Only valid keyword arguments are `check_types` and `expand_composites`, not: `foo`'),
    ('map check_types False', lambda: n.map_structure(lambda a, b: a + b, [1, 2], (3, 4), check_types=False),
     '[4, 6]'),
    ('map types differ', lambda: n.map_structure(lambda a, b: a + b, [1, 2], (3, 4)),
     "ERR TypeError: The two structures don't have the same nested structure.||First structure: type=list str=[1, 2]||Second structure: type=tuple str=(3, 4)||More specifically: The two namedtuples don't have the same sequence type. First structure type=list str=[1, 2] has type list, while second structure type=tuple str=(3, 4) has type tuple|Entire first structure:|[., .]|Entire second structure:|(., .)"),
    ('map len differ', lambda: n.map_structure(lambda a, b: a + b, [1, 2], [3]),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=list str=[1, 2]||Second structure: type=list str=[3]||More specifically: The two structures don't have the same number of elements. First structure: type=list str=[1, 2]. Second structure: type=list str=[3]|Entire first structure:|[., .]|Entire second structure:|[.]"),
    ('map dict keys', lambda: n.map_structure(lambda a, b: a, {"a": 1}, {"b": 1}),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=dict str={'a': 1}||Second structure: type=dict str={'b': 1}||More specifically: The two dictionaries don't have the same set of keys. First structure has keys type=list str=['a'], while second structure has keys type=list str=['b']|Entire first structure:|{'a': .}|Entire second structure:|{'b': .}"),
    ('asr ok', lambda: n.assert_same_structure([1, (2, 3)], [4, (5, 6)]),
     'None'),
    ('asr nest mismatch', lambda: n.assert_same_structure([1, 2], 3),
     'ERR ValueError: The two structures don\'t have the same nested structure.||First structure: type=list str=[1, 2]||Second structure: type=int str=3||More specifically: Substructure "type=list str=[1, 2]" is a sequence, while substructure "type=int str=3" is not|Entire first structure:|[., .]|Entire second structure:|.'),
    ('asr nest mismatch2', lambda: n.assert_same_structure([1, [2]], [3, 4]),
     'ERR ValueError: The two structures don\'t have the same nested structure.||First structure: type=list str=[1, [2]]||Second structure: type=list str=[3, 4]||More specifically: Substructure "type=list str=[2]" is a sequence, while substructure "type=int str=4" is not|Entire first structure:|[., [.]]|Entire second structure:|[., .]'),
    ('asr len', lambda: n.assert_same_structure([1, 2], [1, 2, 3]),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=list str=[1, 2]||Second structure: type=list str=[1, 2, 3]||More specifically: The two structures don't have the same number of elements. First structure: type=list str=[1, 2]. Second structure: type=list str=[1, 2, 3]|Entire first structure:|[., .]|Entire second structure:|[., ., .]"),
    ('asr types', lambda: n.assert_same_structure([1, 2], (1, 2)),
     "ERR TypeError: The two structures don't have the same nested structure.||First structure: type=list str=[1, 2]||Second structure: type=tuple str=(1, 2)||More specifically: The two namedtuples don't have the same sequence type. First structure type=list str=[1, 2] has type list, while second structure type=tuple str=(1, 2) has type tuple|Entire first structure:|[., .]|Entire second structure:|(., .)"),
    ('asr types nt', lambda: n.assert_same_structure(NT(1, 2), (1, 2)),
     "ERR TypeError: The two structures don't have the same nested structure.||First structure: type=NT str=NT(b=1, a=2)||Second structure: type=tuple str=(1, 2)||More specifically: The two namedtuples don't have the same sequence type. First structure type=NT str=NT(b=1, a=2) has type NT, while second structure type=tuple str=(1, 2) has type tuple|Entire first structure:|NT(b=., a=.)|Entire second structure:|(., .)"),
    ('asr types nt2', lambda: n.assert_same_structure(NT(1, 2), collections.namedtuple("NT", "b a")(1, 2)),
     'None'),
    ('asr dict keys', lambda: n.assert_same_structure({"a": 1}, {"b": 1}),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=dict str={'a': 1}||Second structure: type=dict str={'b': 1}||More specifically: The two dictionaries don't have the same set of keys. First structure has keys type=list str=['a'], while second structure has keys type=list str=['b']|Entire first structure:|{'a': .}|Entire second structure:|{'b': .}"),
    ('asr dict vs od', lambda: n.assert_same_structure({"a": 1}, OD(a=1)),
     'None'),
    ('asr check_types False', lambda: n.assert_same_structure([1, 2], (1, 2), check_types=False),
     'None'),
    ('asr str', lambda: n.assert_same_structure("ab", "cd"),
     'None'),
    ('flatten tensor', lambda: len(n.flatten([tf.constant([1, 2]), tf.Variable(1.0)])),
     '2'),
    ('map tensors', lambda: n.map_structure(lambda t: t * 2, {"a": tf.constant(1)})["a"].numpy(),
     'np.int32(2)'),
    ('flatten kw', lambda: n.flatten([1], expand_composites=True),
     '[1]'),
    ('pack wrong type flat', lambda: n.pack_sequence_as([0, 0], {"a": 1, "b": 2}),
     'ERR KeyError: 0'),
    ('type+len', lambda: n.assert_same_structure([1, 2], (1, 2, 3)),
     "ERR TypeError: The two structures don't have the same nested structure.||First structure: type=list str=[1, 2]||Second structure: type=tuple str=(1, 2, 3)||More specifically: The two namedtuples don't have the same sequence type. First structure type=list str=[1, 2] has type list, while second structure type=tuple str=(1, 2, 3) has type tuple|Entire first structure:|[., .]|Entire second structure:|(., ., .)"),
    ('dict vs list', lambda: n.assert_same_structure({"a": 1}, [1]),
     "ERR TypeError: The two structures don't have the same nested structure.||First structure: type=dict str={'a': 1}||Second structure: type=list str=[1]||More specifically: The two namedtuples don't have the same sequence type. First structure type=dict str={'a': 1} has type dict, while second structure type=list str=[1] has type list|Entire first structure:|{'a': .}|Entire second structure:|[.]"),
    ('inner type', lambda: n.assert_same_structure([1, (2,)], [1, [2]]),
     "ERR TypeError: The two structures don't have the same nested structure.||First structure: type=list str=[1, (2,)]||Second structure: type=list str=[1, [2]]||More specifically: The two namedtuples don't have the same sequence type. First structure type=tuple str=(2,) has type tuple, while second structure type=list str=[2] has type list|Entire first structure:|[., (.,)]|Entire second structure:|[., [.]]"),
    ('dict len', lambda: n.assert_same_structure({"a": 1}, {"a": 1, "b": 2}),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=dict str={'a': 1}||Second structure: type=dict str={'a': 1, 'b': 2}||More specifically: The two dictionaries don't have the same set of keys. First structure has keys type=list str=['a'], while second structure has keys type=list str=['a', 'b']|Entire first structure:|{'a': .}|Entire second structure:|{'a': ., 'b': .}"),
    ('nested dict keys', lambda: n.assert_same_structure({"a": {"x": 1}}, {"a": {"y": 1}}),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=dict str={'a': {'x': 1}}||Second structure: type=dict str={'a': {'y': 1}}||More specifically: The two dictionaries don't have the same set of keys. First structure has keys type=list str=['x'], while second structure has keys type=list str=['y']|Entire first structure:|{'a': {'x': .}}|Entire second structure:|{'a': {'y': .}}"),
    ('strings', lambda: n.assert_same_structure(["a"], ["bb"]),
     'None'),
    ('none', lambda: n.assert_same_structure(None, [None]),
     'ERR ValueError: The two structures don\'t have the same nested structure.||First structure: type=NoneType str=None||Second structure: type=list str=[None]||More specifically: Substructure "type=list str=[None]" is a sequence, while substructure "type=NoneType str=None" is not|Entire first structure:|.|Entire second structure:|[.]'),
    ('map 3', lambda: n.map_structure(lambda a, b, c: a + b + c, [1], [2], [3]),
     '[6]'),
    ('map 3 bad', lambda: n.map_structure(lambda a, b, c: a + b + c, [1], [2], [3, 4]),
     "ERR ValueError: The two structures don't have the same nested structure.||First structure: type=list str=[1]||Second structure: type=list str=[3, 4]||More specifically: The two structures don't have the same number of elements. First structure: type=list str=[1]. Second structure: type=list str=[3, 4]|Entire first structure:|[.]|Entire second structure:|[., .]"),
    ('two bad kw', lambda: n.map_structure(lambda a: a, [1], foo=1, bar=2),
     'ERR ValueError: Only valid keyword arguments are `check_types` and `expand_composites`, not: `foo`, `bar`'),
    ('pack tuple seq', lambda: n.pack_sequence_as([0, 0], (1, 2)),
     '[1, 2]'),
    ('pack str', lambda: n.pack_sequence_as([0], "a"),
     "ERR TypeError: Attempted to pack value:|  a|into a structure, but found incompatible type `<class 'str'>` instead."),
]


def _outcome(thunk):
    try:
        text = repr(thunk())
    except Exception as err:  # noqa: BLE001 - the error itself is the result compared
        text = f"ERR {type(err).__name__}: {err}"
    return text.replace("\n", "|")


@pytest.mark.parametrize("label, thunk, expected", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(label, thunk, expected):
    assert _outcome(thunk) == expected


def test_pack_keeps_the_structures_key_order_and_types():
    packed = n.pack_sequence_as({"b": (0, [0]), "a": NT(0, 0)}, [1, 2, 3, 4])
    assert list(packed) == ["b", "a"]
    assert packed == {"a": NT(b=1, a=2), "b": (3, [4])}
    assert type(packed["a"]) is NT


def test_map_structure_on_tensors_keeps_structure():
    result = n.map_structure(lambda t: t * 2, {"a": [tf.constant(1.0), tf.constant([2.0])]})
    assert [t.numpy().tolist() for t in result["a"]] == [2.0, [4.0]]
