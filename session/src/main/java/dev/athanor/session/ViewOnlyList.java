package dev.athanor.session;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.RandomAccess;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What a view-only relationship's field holds, loaded or not: a list whose every change ({@code
 * add}, {@code remove}, {@code set}, {@code clear}, {@code sort}, ...) fails with the error of
 * {@link LoadedList#viewOnly}, since the flush would not write it.
 */
abstract class ViewOnlyList extends AbstractList<Object> implements RandomAccess {
  final RelatedCollection relationship;

  ViewOnlyList(RelatedCollection relationship) {
    this.relationship = relationship;
  }

  @Override
  public void add(int index, Object element) {
    throw LoadedList.viewOnly(relationship);
  }

  @Override
  public Object set(int index, Object element) {
    throw LoadedList.viewOnly(relationship);
  }

  @Override
  public void sort(@Nullable Comparator<? super Object> c) {
    throw LoadedList.viewOnly(relationship);
  }

  @Override
  public void replaceAll(UnaryOperator<Object> operator) {
    throw LoadedList.viewOnly(relationship);
  }

  @Override
  public Object remove(int index) {
    throw LoadedList.viewOnly(relationship);
  }
}
